/** The TypeScript source for the API's paths and schemas, as served by the worker at `base`. */
export function apiTypesSource(base: string): Promise<string>;
