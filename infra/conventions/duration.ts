/**
 * ISO 8601 durations as Azure Monitor and Microsoft Sentinel accept them (`PT5M`, `PT1H`, `P1D`).
 * Only day/time units: months and years have no fixed length, and neither service uses them.
 */

/** An ISO 8601 duration string such as `PT5M`; checked by `parseIsoDuration`. */
export type IsoDuration = `P${string}`;

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds in `value`, or an error naming the value when it is not a day/time ISO 8601 duration. */
export function parseIsoDuration(value: string): number {
  const match = DURATION.exec(value);
  if (!match || value === "P" || value.endsWith("T")) {
    throw new Error(`"${value}" is not an ISO 8601 duration such as PT5M, PT1H or P1D`);
  }
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return weeks * 7 * DAY + days * DAY + hours * HOUR + minutes * MINUTE + seconds * SECOND;
}

/** Duration helpers for readable limits in tests and validation. */
export const minutes = (n: number): number => n * MINUTE;
export const hours = (n: number): number => n * HOUR;
export const days = (n: number): number => n * DAY;
