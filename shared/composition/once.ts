/**
 * A dependency built on its first use and the same one after: one per container. A
 * container runs one function, so every call passes that function's configuration.
 */
export function once<C, T>(build: (config: C) => T): (config: C) => T {
  let built: { readonly value: T } | undefined;
  return (config) => {
    built ??= { value: build(config) };
    return built.value;
  };
}
