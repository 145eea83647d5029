// Types of bench/generate.mjs, for the TypeScript benches.
export declare const NOTES: Record<string, string>;
export declare function generateStack(dir: string, rows: number, options?: { statusRows?: number; seed?: number }): unknown;
