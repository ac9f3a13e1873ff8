export { ggufScanner } from './gguf-scanner.js';
export { llamafileScanner } from './llamafile-scanner.js';
