import { describe, expect, it } from 'vitest';
import { isPlausibleBirthday, normaliseEmail } from '../../src/modules/user/user.domain.js';

const NOW = Date.UTC(2026, 10, 24);

describe('user domain rules', () => {
  it.each([
    ['1990-01-31', true],
    ['2000-02-29', true], // leap year
    ['1900-01-01', true],
    ['2026-11-24', true], // today
    ['1900-02-29', false], // 1900 was not a leap year
    ['2023-02-29', false],
    ['2023-04-31', false],
    ['2026-11-25', false], // tomorrow
    ['1899-12-31', false],
    ['1990-1-31', false],
    ['', false],
  ])('birthday %s plausible: %s', (value, expected) => {
    expect(isPlausibleBirthday(value, NOW)).toBe(expected);
  });

  it('normalises emails to trimmed lower case', () => {
    expect(normaliseEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });
});
