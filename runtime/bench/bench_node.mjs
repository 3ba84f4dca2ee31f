// bench_node.mjs: a bench kernel under node's V8: `node bench_node.mjs K.wasm N`
// compiles the module, instantiates it (imports it never calls, such as printf's
// WASI functions, throw), calls run(N) once and prints "CHECKSUM NANOSECONDS",
// timing only the call, as bench_native_main.c and wasmrt's execute phase do.
import { readFileSync } from 'node:fs';

const [path, arg] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(path));
const imports = {};
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.kind !== 'function') throw new Error(`${imp.module}.${imp.name}: not a function`);
  imports[imp.module] ??= {};
  imports[imp.module][imp.name] = () => {
    throw new Error(`${imp.module}.${imp.name} called`);
  };
}
const { exports } = new WebAssembly.Instance(module, imports);
const n = Number(arg) >>> 0;
const t0 = process.hrtime.bigint();
const checksum = BigInt.asUintN(64, exports.run(n));
const t1 = process.hrtime.bigint();
console.log(`${checksum} ${t1 - t0}`);
