// The part of madge's API (https://github.com/pahen/madge#api) the import-graph test uses; madge ships no types.
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
  }
  interface MadgeInstance {
    /** Each file (relative to the base folder) and the files it imports. */
    obj(): Record<string, string[]>;
    /** Each import circle, as the files along it. */
    circular(): string[][];
  }
  export default function madge(path: string, config?: MadgeConfig): Promise<MadgeInstance>;
}
