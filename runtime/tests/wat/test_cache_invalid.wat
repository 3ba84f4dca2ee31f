;; Invalid on purpose (built with wat2wasm --no-check): "bad" adds an i64 to an i32.
;; test_cache.c forges a cache entry for it to show translation still rejects it.
(module
  (func (export "good") (result i32) (i32.const 42))
  (func (export "bad") (result i32) (i32.add (i32.const 1) (i64.const 2)))
)
