/*
 * token.c: a fungible token, the one example written in C.
 *
 * A token process holds an amount (given by the coordination script that
 * mints it with new_token) and may be bound to one owner UTXO. It has no
 * state of its own: every step is one command from the coordination script
 * that resumed it, passed as a one-row ref:
 *
 *   [1, owner, 0, 0]  bind to the UTXO `owner`, then yield (no value)
 *   [2, 0, 0, 0]      burn: the amount leaves circulation
 *   anything else     trap
 *
 * A token moves from one owner to another in two steps of a coordination
 * script: the old owner unbinds it (see common/wallet.wat), then the token is
 * resumed with [1, new_owner].
 *
 * The same source is compiled once per asset with a different ASSET_NAME
 * (token_a, token_b, nft): the name is written into datum slot 0, so the
 * modules, hence the program hashes, differ, and `ssprove ledger show` says
 * which asset a token is.
 */
#include "starstream.h"

#ifndef ASSET_NAME
#define ASSET_NAME "token"
#endif

/* The first eight bytes of ASSET_NAME as a little-endian word. */
static i64 asset_tag(void) {
	static const char name[] = ASSET_NAME;
	u64 tag = 0;
	for (unsigned i = 0; i < 8 && i < sizeof name - 1; i++)
		tag |= (u64)(unsigned char)name[i] << (8 * i);
	return (i64)tag;
}

/* Scratch for host calls; statics, so nothing lives on the stack across steps. */
static i64 act[6];
static i64 cmd[4];

__attribute__((export_name("step"))) void step(void) {
	i64 ref = ss_activation(act);
	/* Only a coordination script's resume runs a token: it never raises effects. */
	if (act[1] != SS_RESUME || ref == 0)
		__builtin_trap();
	ss_ref_get(ref, 0, cmd);
	ss_set_datum(0, asset_tag());
	switch (cmd[0]) {
	case 1:
		ss_bind(cmd[1]);
		ss_yield(0);
		return;
	case 2:
		ss_burn();
		return;
	}
	__builtin_trap();
}
