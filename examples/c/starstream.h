/*
 * starstream.h: the ssprove host ABI (runtime/ABI.md) for C programs.
 *
 * Every function is imported from the WebAssembly module "starstream" with
 * exactly the signature of runtime/program.Imports: every value is a 64-bit
 * integer except pointers, which are 32-bit addresses in the program's memory.
 * Only the functions a program actually calls end up in its import section.
 *
 * Build (clang 14 and wasm-ld, no libc):
 *   clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--export=step \
 *         -Wl,--strip-all -o prog.wasm prog.c
 * wasm-ld exports the memory as "memory" by default.
 */
#ifndef STARSTREAM_H
#define STARSTREAM_H

typedef long long i64;
typedef unsigned long long u64;

#define SS_IMPORT(name) __attribute__((import_module("starstream"), import_name(#name)))

/* Activation kinds, as activation() writes them at out[1]. */
enum {
	SS_START = 0,
	SS_RESUME = 1,
	SS_YIELD = 2,
	SS_BURN = 3,
	SS_RETURN = 4,
	SS_EFFECT = 5,
};

/* Control calls: each must be the last host call of a step. */
SS_IMPORT(resume) void ss_resume(i64 pid, i64 ref);
SS_IMPORT(yield) void ss_yield(i64 ref);
SS_IMPORT(burn) void ss_burn(void);
SS_IMPORT(return) void ss_return(void);
SS_IMPORT(call_effect_handler) void ss_call_effect_handler(const i64 iface[4], i64 ref);

/* What started this step: returns its ref; when out != 0 writes
 * out[0] = caller pid, out[1] = kind, out[2..5] = interface id (EFFECT only). */
SS_IMPORT(activation) i64 ss_activation(i64 out[6]);
/* The ref this process was created with (creating transaction only); out[0] = creator. */
SS_IMPORT(init) i64 ss_init(i64 out[1]);

/* Processes (coordination scripts only, except program_hash and amount). */
SS_IMPORT(new_utxo) i64 ss_new_utxo(const i64 hash[4], i64 ref);
SS_IMPORT(new_token) i64 ss_new_token(const i64 hash[4], i64 ref, i64 amount);
SS_IMPORT(new_coord) i64 ss_new_coord(const i64 hash[4], i64 ref);
SS_IMPORT(program_hash) void ss_program_hash(i64 pid, i64 out[4]);
SS_IMPORT(amount) i64 ss_amount(i64 pid);

/* Effect handlers. */
SS_IMPORT(install_handler) void ss_install_handler(const i64 iface[4]);
SS_IMPORT(uninstall_handler) void ss_uninstall_handler(const i64 iface[4]);
SS_IMPORT(get_handler_for) i64 ss_get_handler_for(const i64 iface[4]);

/* Refs: new_ref(rows) then exactly rows ref_push calls. */
SS_IMPORT(new_ref) i64 ss_new_ref(i64 rows);
SS_IMPORT(ref_push) void ss_ref_push(i64 a, i64 b, i64 c, i64 d);
SS_IMPORT(ref_get) void ss_ref_get(i64 ref, i64 row, i64 out[4]);
SS_IMPORT(ref_write) void ss_ref_write(i64 ref, i64 row, i64 a, i64 b, i64 c, i64 d);

/* Tokens. */
SS_IMPORT(bind) void ss_bind(i64 owner);
SS_IMPORT(unbind) void ss_unbind(i64 token);

/* Datum: 16 public words per process. */
SS_IMPORT(get_datum) i64 ss_get_datum(i64 slot);
SS_IMPORT(set_datum) void ss_set_datum(i64 slot, i64 value);

#endif
