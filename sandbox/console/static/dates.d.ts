/** Types of dates.js (plain JS for the browser), for the TypeScript tests that import it. */
export function formatSlackDate(seconds: number, format: string, options?: { now?: number; locale?: string }): string;
