package neo

import (
	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/kernels/ext"
	"github.com/ssprove/ssprove/lattice/ajtai"
)

// K is the sum-check extension field F_q[u]/(u² − 7).
type K = ext.K

// MCS is a fresh step instance (Neo Def. 17), all public.
type MCS struct {
	C ajtai.Commitment     // κ ring elements, the commitment to Z
	X []goldilocks.Element // x = z[:m_in], the step's public input
}

// MCSWitness opens an MCS.
type MCSWitness struct {
	Z []int8 // d×m column-major, every digit in {−(b−1), …, b−1}
	// quotients are those of Z's commitment (ajtai.CommitDigitsOpening),
	// when Prover.Commit made it on the host: a combined proof whose last
	// fold combines the step alone opens Z with them.
	quotients ajtai.Quotients
}

// Claim is an ME instance (Neo Def. 18), all public: the committed matrix Z
// evaluates, after each CCS matrix, to Y at the row point R.
type Claim struct {
	C ajtai.Commitment     // κ ring elements
	X []goldilocks.Element // d×m_in column-major: the public columns of Z
	R []K                  // ℓ_n coordinates: the row point
	Y [][]K                // t+1 vectors of d entries: Y[j] = Z·M_jᵀ·χ_R, M_0 the identity
}

// Acc is the public side of an accumulator: no claims (nothing folded yet)
// or k of them, all at one R.
type Acc struct {
	Claims []Claim
	Digest [4]goldilocks.Element // squeezed at the end of the fold that produced it
}

// AccWitness opens an Acc: Z[i] opens Claims[i] with ‖Z[i]‖∞ < b.
type AccWitness struct {
	Z [][]int8
}
