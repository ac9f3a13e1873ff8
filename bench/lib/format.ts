export function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 0.1 ? `${s.toFixed(4)} s` : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1)} MB`;
}

export function millions(count: number): string {
  return `${(count / 1e6).toFixed(2)} M`;
}

export function ratio(value: number): string {
  return value >= 10 ? `${value.toFixed(0)}×` : value >= 0.1 ? `${value.toFixed(2)}×` : `${value.toPrecision(2)}×`;
}

export function spread(timing: { readonly min: number; readonly max: number }): string {
  return `min ${seconds(timing.min)}, max ${seconds(timing.max)}`;
}
