/* interp.h: the interpreter's handler table (interp.c). A code word naming an
 * instruction holds its handler's address, so translation needs the table. */
#ifndef WASMRT_INTERP_H
#define WASMRT_INTERP_H

/* Handler addresses by internal opcode (ops.h), filled by interp_init(). */
extern const void **interp_labels;
void interp_init(void);

#endif
