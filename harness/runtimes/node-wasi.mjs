#!/usr/bin/env node
// node-wasi.mjs: runs a WASI preview1 command module under node's V8 with node:wasi,
// the way the `wasm-cli:node` target of wasmvs starts it.
//
//   node --no-turbo-fast-api-calls node-wasi.mjs [--dir HOST[::GUEST]]... [--env K=V]...
//        MODULE.wasm [ARGS...]
//
// The exit status is the guest's proc_exit code. Errors name the module and the fault.
// --no-turbo-fast-api-calls: node 20's node:wasi can crash after a run without it.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, exit, stderr } from 'node:process';

function usage(message) {
    stderr.write(`node-wasi: ${message}\n` +
        'usage: node-wasi.mjs [--dir HOST[::GUEST]]... [--env K=V]... MODULE.wasm [ARGS...]\n');
    exit(2);
}

const preopens = {};
const env = {};
let i = 2;
for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === '--dir') {
        const [host, guest] = value.split('::');
        preopens[guest ?? host] = host;
    } else if (flag === '--env') {
        const eq = value.indexOf('=');
        if (eq <= 0) usage(`--env expects K=V, got '${value}'`);
        env[value.slice(0, eq)] = value.slice(eq + 1);
    } else {
        usage(`unknown option ${flag}`);
    }
}
if (i >= argv.length) usage('no module given');
const modulePath = argv[i];
const args = argv.slice(i);

let bytes;
try {
    bytes = await readFile(modulePath);
} catch (err) {
    stderr.write(`node-wasi: cannot read ${modulePath}: ${err.message}\n`);
    exit(1);
}

let module;
try {
    module = await WebAssembly.compile(bytes);
} catch (err) {
    stderr.write(`node-wasi: ${modulePath}: invalid module: ${err.message}\n`);
    exit(1);
}

const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
let instance;
try {
    instance = await WebAssembly.instantiate(module, wasi.getImportObject());
} catch (err) {
    stderr.write(`node-wasi: ${modulePath}: cannot instantiate: ${err.message}\n`);
    exit(1);
}

try {
    exit(wasi.start(instance));
} catch (err) {
    stderr.write(`node-wasi: ${modulePath}: trap: ${err.message}\n`);
    exit(134);
}
