;; local.set / local.tee while an older copy of the local is still on the operand stack
(module
  (func (export "set_under_copy") (param i32) (result i32)
    local.get 0
    i32.const 5
    local.set 0
    local.get 0
    i32.add)
  (func (export "tee_under_copy") (param i32) (result i32)
    local.get 0
    local.get 0
    i32.const 1
    i32.add
    local.tee 0
    i32.mul)
  (func (export "retarget_under_copy") (param i32 i32) (result i32)
    local.get 0
    local.get 0
    local.get 1
    i32.add
    local.set 0
    local.get 0
    i32.sub)
  (func (export "set_in_block") (param i32) (result i32)
    local.get 0
    block
      i32.const 7
      local.set 0
    end
    local.get 0
    i32.add)
  (func (export "set_in_branch") (param i32 i32) (result i32)
    local.get 0
    block
      local.get 1
      br_if 0
      i32.const 100
      local.set 0
    end
    local.get 0
    i32.add)
  (func (export "swap_sub") (param i32 i32) (result i32)
    local.get 1
    local.get 0
    local.set 1
    local.set 0
    local.get 0
    local.get 1
    i32.sub)
)
