// How many threads a scan uses when --jobs is not given.
import { describe, expect, test } from '@jest/globals';
import { chooseJobs, MIN_CANDIDATES_FOR_WORKERS } from '../src/scan/scanPool.js';

describe('chooseJobs', () => {
  test('a given number is kept', () => {
    expect(chooseJobs(3, 10, 2, 9)).toBe(3);
    expect(chooseJobs(1, 10_000, 8, 0)).toBe(1);
  });
  test('one thread for few candidates, whatever the cores', () => {
    expect(chooseJobs(undefined, MIN_CANDIDATES_FOR_WORKERS - 1, 16, 0)).toBe(1);
  });
  test('one thread on fewer than 4 cores, however idle', () => {
    expect(chooseJobs(undefined, 5_000, 2, 0)).toBe(1);
    expect(chooseJobs(undefined, 5_000, 3, 0)).toBe(1);
  });
  test('one thread per idle core, up to 4 and one per 150 candidates', () => {
    expect(chooseJobs(undefined, 5_000, 4, 1)).toBe(4);
    expect(chooseJobs(undefined, 5_000, 16, 1)).toBe(4);
    expect(chooseJobs(undefined, 320, 16, 1)).toBe(3);
    expect(chooseJobs(undefined, 5_000, 8, 6)).toBe(3);
  });
  test('a busy machine gets one thread: a worker would get no core of its own', () => {
    expect(chooseJobs(undefined, 5_000, 2, 9)).toBe(1);
    expect(chooseJobs(undefined, 5_000, 4, 5)).toBe(1);
  });
});
