// Package transcript is the Fiat–Shamir transcript every ssprove proof is
// built on: a duplex sponge over the Poseidon2 permutation of Goldilocks
// (gnark-crypto field/goldilocks/poseidon2, width 12, rate 8, capacity 4),
// run by package kernels/poseidon2, which computes exactly gnark-crypto's
// permutation about six times faster.
//
// Prover and verifier drive identical transcripts: every value a later
// challenge may depend on (public-parameter seed, CCS digest, commitments,
// public inputs, every prover message) is appended with a label before the
// challenge is drawn. Each append is one self-delimiting record: a header
// word holding the record's kind and the label's length, the label packed
// seven bytes to a word, a word count, then the payload. Records therefore
// encode injectively into the absorbed stream, so two transcripts that differ
// in any label, kind, length or value absorb different streams, and every
// challenge drawn after the difference differs (as far as Poseidon2 behaves
// as a random permutation).
//
// Challenges are records too: drawing one absorbs its header and label,
// permutes, and reads fresh rate words, permuting again whenever the rate is
// exhausted. Field challenges are uniform in F because the permutation's
// outputs are field elements; K challenges take two of them; ChallengeSmall
// samples the ring challenge set C of package lattice/challenge.
//
// A Transcript is not safe for concurrent use; Clone gives an independent copy.
package transcript
