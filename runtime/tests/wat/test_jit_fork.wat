;; test_jit_fork.wat: thirteen functions alike in shape, each with its own constants, for
;; the fork test of test_jit.c: f<k>(x) = k rounds of acc = acc * 31 + i + 1000 * k,
;; from acc = x + k.
(module
  (func (export "f0") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 0)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 0)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 0)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f1") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 1)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 1)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 1000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f2") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 2)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 2)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 2000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f3") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 3)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 3)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 3000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f4") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 4)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 4)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 4000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f5") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 5)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 5000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f6") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 6)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 6)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 6000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f7") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 7)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 7)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 7000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f8") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 8)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 8)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 8000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f9") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 9)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 9)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 9000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f10") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 10)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 10)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 10000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f11") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 11)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 11)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 11000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
  (func (export "f12") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 12)))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get 2) (i32.const 12)))
        (local.set 1 (i32.add (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2))
                              (i32.const 12000)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 1))
)
