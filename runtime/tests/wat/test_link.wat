;; imports what test_host.wat exports, through the linker's define_instance
(module
  (import "host" "double" (func $double (param i32) (result i32)))
  (import "host" "memory" (memory 1))
  (func (export "quad") (param i32) (result i32) (call $double (call $double (local.get 0))))
  (func (export "first_byte") (result i32) (i32.load8_u (i32.const 0)))
)
