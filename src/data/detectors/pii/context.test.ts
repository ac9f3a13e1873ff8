import { describe, expect, it } from 'vitest';
import { ContextWords, findContext, tokenize, WINDOW_BEFORE } from './context.js';

describe('tokenize', () => {
  it.each([
    ['card_number', ['card', 'number']],
    ['cardNumber', ['card', 'number']],
    ['IPAddress', ['ip', 'address']],
    ['user.contact[0].email', ['user', 'contact', '0', 'email']],
    ['Date of Birth:', ['date', 'of', 'birth']],
    ['SSN', ['ssn']],
    ['', []],
  ])('%s', (text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
  });

  it('drops tokens cut by the window edges', () => {
    const text = 'the public record';
    expect(tokenize(text, 7, text.length)).toEqual(['record']); // starts inside "public"
    expect(tokenize(text, 0, 7)).toEqual(['the']); // ends inside "public"
  });
});

describe('context words match whole words only', () => {
  const lic = new ContextWords(['lic']);

  it('"lic" inside "public" does not count', () => {
    expect(lic.find(tokenize('public'))).toBeUndefined();
    expect(findContext(lic, 'public 123456', 7, 13, undefined)).toBeUndefined();
    expect(findContext(lic, '123456', 0, 6, 'public_id')).toBeUndefined();
  });

  it('"lic" as its own word counts, in text or column', () => {
    expect(findContext(lic, 'lic 123456', 4, 10, undefined)).toMatchObject({ word: 'lic', where: 'text' });
    expect(findContext(lic, '123456', 0, 6, 'driver_lic')).toMatchObject({ word: 'lic', where: 'column' });
    expect(findContext(lic, 'LIC#123456', 4, 10, undefined)).toMatchObject({ word: 'lic', where: 'text' });
  });

  it('a window edge inside "public" does not leave "lic" behind', () => {
    const prefix = 'xx public';
    const padding = ' '.repeat(WINDOW_BEFORE - 3);
    const text = `${prefix}${padding}123456`;
    const start = text.indexOf('123456');
    // The window starts inside "public", at "lic".
    expect(text.slice(start - WINDOW_BEFORE, start).startsWith('lic')).toBe(true);
    expect(findContext(lic, text, start, start + 6, undefined)).toBeUndefined();
  });

  it('phrases need their tokens in a row', () => {
    const words = new ContextWords(['social security']);
    expect(words.find(tokenize('Social Security No'))).toBe('social security');
    expect(words.find(tokenize('social media security'))).toBeUndefined();
  });

  it('the substring pre-check is only a necessary condition', () => {
    const words = new ContextWords(['dob', 'birth']);
    expect(words.anySubstring.test('ADOBE')).toBe(true);
    expect(words.find(tokenize('ADOBE'))).toBeUndefined();
  });
});
