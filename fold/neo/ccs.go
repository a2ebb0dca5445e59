package neo

import (
	"context"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/fold/sumcheck"
	"github.com/ssprove/ssprove/fold/transcript"
	"github.com/ssprove/ssprove/internal/parallel"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/ring"
)

// The digit variables of Π_CCS: the d = 54 digits of a column padded to
// 2^6 = 64 (fold/NEO.md §1.1), bound first.
const (
	digitVars = 6
	digitPad  = 1 << digitVars
)

// materialRound is the phase-1 round from which the prover keeps each
// instance's partly bound digit table in K (2^(6−i)·N entries) instead of
// recomputing it from the int8 digits: before it the tables would be 8 to 64
// times the witness in K, after it recomputing costs more than binding.
const materialRound = 3

// CCSProof is the proof of Π_CCS (fold/NEO.md §2): the phase-1 rounds over
// the digit variables, the phase-2 sum-check over the row variables, and the
// evaluations y' of every instance at the new point.
type CCSProof struct {
	Rounds   [][]K           // 6 rounds of d_1 = 2b evaluations each: s_i(0), s_i(2), …, s_i(2b)
	Sumcheck *sumcheck.Proof // ℓ_n rounds of a sumcheck.Products proof
	Y        [][][]K         // y'[i][j][ρ]: instance i (0 the MCS), matrix j = 0…t, digit ρ < d
}

// ccsStatement is what the prover and the verifier of Π_CCS derive alike
// from the public inputs and the transcript: the challenges, the batching
// weights, the claimed sum and the phase-2 composition.
type ccsStatement struct {
	dm     dims
	b      int
	kin    int                  // instances entering: the MCS and the carried claims with witnesses of their own
	inst   []int                // inst[i] is the instance of claim i (0 the MCS, then the carried ones in order)
	groups []pointGroup         // the carried claims by point, in claim order
	x0     []goldilocks.Element // the MCS's public columns, Embed(x, b, d)
	alpha  []K                  // digitVars coordinates
	betaA  []K                  // digitVars coordinates
	betaR  []K                  // ℓ_n coordinates
	nc     []K                  // nc[i] = γ^{i+1}, the weight of NC_i
	w      [][]K                // w[i][j] = γ^{K·(j+1)+i} for K claims, the weight of Eval_{ij} of claim i; w[0] unused
	yTab   []K                  // Y = Σ_{i≥1} Σ_j w_ij·y_ij, zero-padded to digitPad
	claim  K                    // T = Σ_a eq(α, a)·Y[a]
	rb     []goldilocks.Element // coefficients of R_b(v), v^0…v^(2b−1)
	g      sumcheck.Products    // phase 2
	degree int                  // d_1 = 2b
}

// pointGroup is G_g of fold/NEO.md §2.3: the claims lo…hi−1 (claim
// numbering, 0 the MCS; carried claim lo−1 first), which all sit at one
// point.
type pointGroup struct {
	lo, hi int
}

// point returns r_g, the point of the group's claims among carried.
func (g pointGroup) point(carried []Claim) []K { return carried[g.lo-1].R }

// Table indices of the phase-2 composition (fold/NEO.md §2.6): E_β, the K_in
// bound digit tables ẑ_i of the instances, the t tables m_j = M_j·z_0, then
// E_g and V_g for each point group g.
func (st *ccsStatement) tabZ(i int) int  { return 1 + i }
func (st *ccsStatement) tabM(j int) int  { return 1 + st.kin + j }
func (st *ccsStatement) tabEg(g int) int { return 1 + st.kin + st.dm.t + 2*g }
func (st *ccsStatement) tabV(g int) int  { return 2 + st.kin + st.dm.t + 2*g }

// oneGroup returns the carried claims of an IVC fold as point groups: one
// group, or none when nothing is carried.
func oneGroup(carried []Claim) [][]Claim {
	if len(carried) == 0 {
		return nil
	}
	return [][]Claim{carried}
}

// newCCSStatement checks the shapes of the public inputs, absorbs the MCS and
// draws α, β and γ (fold/NEO.md §2.2 steps 4 and 5), and computes the rest of
// the statement. Steps 1–3 (header, node, input digests) are the fold's.
// The carried claims form one point group.
func newCCSStatement(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, carried []Claim) (*ccsStatement, error) {
	return newGroupedStatement(tr, pp, s, mcs, oneGroup(carried), 0)
}

// newGroupedStatement is newCCSStatement for carried claims in point groups
// (§2.9): every group non-empty and its claims at one point; the carried
// claims are the groups' claims in order, slices.Concat(groups...).
//
// The last onStep carried claims are on the MCS's own witness (step claims,
// WithStepClaims): they share instance 0, so that Π_CCS range-checks and
// evaluates that witness once and outputs no claim of their own, their
// Eval terms reading ẑ_0. Each must be on the MCS's commitment, else the
// error wraps ErrCommitment; binding makes its witness the MCS's.
func newGroupedStatement(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, groups [][]Claim, onStep int) (*ccsStatement, error) {
	if tr == nil || pp == nil || s == nil {
		return nil, fmt.Errorf("%w: nil transcript, commitment key or CCS", ErrShape)
	}
	dm, err := dimsOf(pp, s)
	if err != nil {
		return nil, err
	}
	b := pp.Params().Base
	if 2*b > sumcheck.MaxDegree {
		return nil, fmt.Errorf("%w: base %d gives range checks of degree 2b > %d", ErrShape, b, sumcheck.MaxDegree)
	}
	if s.Degree()+1 > sumcheck.MaxDegree {
		return nil, fmt.Errorf("%w: CCS of degree %d gives a sum-check of degree %d > %d", ErrShape, s.Degree(), s.Degree()+1, sumcheck.MaxDegree)
	}
	if len(mcs.C) != dm.kappa {
		return nil, fmt.Errorf("%w: MCS commitment has %d ring elements, want κ = %d", ErrShape, len(mcs.C), dm.kappa)
	}
	if len(mcs.X) != dm.mIn {
		return nil, fmt.Errorf("%w: MCS x has %d entries, want m_in = %d", ErrShape, len(mcs.X), dm.mIn)
	}
	var carried []Claim
	pgs := make([]pointGroup, len(groups))
	for g, group := range groups {
		if len(group) == 0 {
			return nil, fmt.Errorf("%w: point group %d carries no claims", ErrShape, g)
		}
		pgs[g].lo = 1 + len(carried)
		for _, c := range group {
			i := len(carried)
			if err := dm.checkClaimShape(c); err != nil {
				return nil, fmt.Errorf("carried claim %d: %w", i, err)
			}
			if !slices.Equal(c.R, group[0].R) {
				return nil, fmt.Errorf("%w: carried claim %d is not at the point of claim %d", ErrPoint, i, pgs[g].lo-1)
			}
			carried = append(carried, c)
		}
		pgs[g].hi = 1 + len(carried)
	}
	x0, err := publicDigits(mcs.X, b)
	if err != nil {
		return nil, err
	}
	if onStep < 0 || onStep > len(carried) {
		return nil, fmt.Errorf("%w: %d of %d carried claims on the step", ErrShape, onStep, len(carried))
	}
	own := len(carried) - onStep
	inst := make([]int, 1+len(carried))
	for i := 1; i <= own; i++ {
		inst[i] = i
	}
	for i, c := range carried[own:] {
		if !slices.Equal(c.C, mcs.C) {
			return nil, fmt.Errorf("%w: carried claim %d is not on the step's commitment", ErrCommitment, own+i)
		}
	}

	claims := 1 + len(carried)
	st := &ccsStatement{dm: dm, b: int(b), kin: 1 + own, inst: inst, groups: pgs, x0: x0, degree: 2 * int(b)}
	tr.AppendCommitment("mcs/c", mcs.C)
	tr.AppendField("mcs/x", mcs.X...)
	st.alpha = challenges(tr, "ccs/alpha", digitVars)
	beta := challenges(tr, "ccs/beta", digitVars+dm.ell)
	st.betaA, st.betaR = beta[:digitVars], beta[digitVars:]
	gamma := tr.ChallengeExt("ccs/gamma")

	pow := make([]K, claims*(dm.t+2))
	pow[0].SetOne()
	for e := 1; e < len(pow); e++ {
		pow[e].Mul(&pow[e-1], &gamma)
	}
	st.nc = pow[1 : st.kin+1]
	st.w = make([][]K, claims)
	for i := 1; i < claims; i++ {
		st.w[i] = make([]K, dm.t+1)
		for j := range st.w[i] {
			st.w[i][j] = pow[claims*(j+1)+i]
		}
	}

	st.yTab = make([]K, digitPad)
	var p K
	for i, c := range carried {
		for j, y := range c.Y {
			for ρ := range y {
				p.Mul(&st.w[i+1][j], &y[ρ])
				st.yTab[ρ].Add(&st.yTab[ρ], &p)
			}
		}
	}
	chiAlpha, err := mle.EqTable(st.alpha)
	if err != nil {
		return nil, err
	}
	for a := range st.yTab {
		p.Mul(&chiAlpha[a], &st.yTab[a])
		st.claim.Add(&st.claim, &p)
	}

	st.rb = rangePoly(st.b)
	st.g = st.composition(s)
	return st, nil
}

// challenges draws n elements of K under label.
func challenges(tr *transcript.Transcript, label string, n int) []K {
	r := make([]K, n)
	for i := range r {
		r[i] = tr.ChallengeExt(label)
	}
	return r
}

// rangePoly returns the coefficients of R_b(v) = v·Π_{s=1}^{b−1}(v² − s²),
// which vanishes exactly on the digits −(b−1)…b−1: v^0 first.
func rangePoly(b int) []goldilocks.Element {
	c := []int64{0, 1}
	for s := 1; s < b; s++ {
		next := make([]int64, len(c)+2)
		for e, ce := range c {
			next[e+2] += ce
			next[e] -= int64(s*s) * ce
		}
		c = next
	}
	out := make([]goldilocks.Element, len(c))
	for e := range c {
		out[e].SetInt64(c[e])
	}
	return out
}

// composition returns the phase-2 polynomial of fold/NEO.md §2.6: each
// γ^{i+1}·E_β·R_b(ẑ_i) expanded into monomials, each CCS term c_l·E_β·Π m_j,
// and E_g·V_g for each point group.
func (st *ccsStatement) composition(s *ccs.CCS) sumcheck.Products {
	g := sumcheck.Products{N: 1 + st.kin + st.dm.t + 2*len(st.groups)}
	for i := range st.kin {
		for e, ce := range st.rb {
			if ce.IsZero() {
				continue
			}
			var coeff K
			coeff.MulByElement(&st.nc[i], &ce)
			factors := []int{0}
			for range e {
				factors = append(factors, st.tabZ(i))
			}
			g.Terms = append(g.Terms, sumcheck.Term{Coeff: coeff, Factors: factors})
		}
	}
	for _, term := range s.Terms() {
		factors := []int{0}
		for _, j := range term.Matrices {
			factors = append(factors, st.tabM(j))
		}
		g.Terms = append(g.Terms, sumcheck.Term{Coeff: K{A0: term.Coeff}, Factors: factors})
	}
	var one K
	one.SetOne()
	for gi := range st.groups {
		g.Terms = append(g.Terms, sumcheck.Term{Coeff: one, Factors: []int{st.tabEg(gi), st.tabV(gi)}})
	}
	return g
}

// eq1 returns eq(x, y) = x·y + (1 − x)(1 − y) for one coordinate.
func eq1(x, y *K) K {
	var p, q, one K
	one.SetOne()
	p.Mul(x, y)
	p.Double(&p)
	q.Add(x, y)
	p.Sub(&p, &q)
	p.Add(&p, &one)
	return p
}

// ProveCCS is the prover of Π_CCS (fold/NEO.md §2) for one IVC step: it
// reduces the fresh step mcs, opened by wit, and the carried ME(b) claims,
// opened by carriedZ and all at one point (none for the first step), to
// 1 + len(carried) ME(b) claims at one new point r': the MCS's first, then
// the carried ones in order, each opened by the same witness as its input.
//
// The transcript must already hold the fold's header, node and input
// digests (§2.2 steps 1–3); ProveCCS absorbs the MCS and runs steps 4–8.
//
// Wrong shapes are errors wrapping ErrShape, a digit of norm b or more one
// wrapping ErrNorm, public input that has no digits in base b one wrapping
// ErrPublic, carried claims at different points one wrapping ErrPoint. A
// witness that does not satisfy s makes the batched sum false and is refused
// in the first round of phase 1, carried witnesses that do not open their
// claims' evaluations in the first round of phase 2 (phase 1 reads the
// claimed evaluations, phase 2 the witnesses), both with an error wrapping
// sumcheck.ErrClaim. After an error the transcript is in no particular
// state.
func ProveCCS(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, wit MCSWitness, carried []Claim, carriedZ [][]int8) ([]Claim, *CCSProof, error) {
	out, proof, err := proveCCSGroups(ctx, tr, pp, s, mcs, wit, oneGroup(carried), carriedZ, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("neo: ProveCCS: %w", err)
	}
	return out, proof, nil
}

// proveCCSGroups is ProveCCS for carried claims in point groups (fold/NEO.md
// §2.9: two for a PCD merge), opened by carriedZ in the groups' order, the
// last onStep on the MCS's witness and without one in carriedZ
// (newGroupedStatement). It checks the witnesses' shapes and norms, then
// proves. The output claims are the instances': the MCS's, then each
// carried claim's with a witness of its own.
func proveCCSGroups(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, wit MCSWitness, groups [][]Claim, carriedZ [][]int8, onStep int) ([]Claim, *CCSProof, error) {
	if pp == nil || s == nil {
		return nil, nil, fmt.Errorf("%w: nil commitment key or CCS", ErrShape)
	}
	carried := 0
	for _, g := range groups {
		carried += len(g)
	}
	if len(carriedZ) != carried-onStep {
		return nil, nil, fmt.Errorf("%w: %d carried witnesses for %d claims, %d of them on the step", ErrShape, len(carriedZ), carried, onStep)
	}
	Zs := append([][]int8{wit.Z}, carriedZ...)
	digits, b := ring.D*s.NumVariables(), int(pp.Params().Base)
	for i, Z := range Zs {
		if len(Z) != digits {
			return nil, nil, fmt.Errorf("%w: witness %d has %d digits, want d·m = %d", ErrShape, i, len(Z), digits)
		}
		if err := checkNorm(Z, b); err != nil {
			return nil, nil, fmt.Errorf("witness %d: %w", i, err)
		}
	}
	return proveGroups(ctx, tr, pp, s, mcs, groups, Zs, onStep)
}

// proveCCS is ProveCCS after the witnesses' shapes and norms are checked:
// Zs[0] opens the MCS, Zs[1:] the carried claims. Tests call it with digits
// out of range to see the range-check term catch them.
func proveCCS(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, carried []Claim, Zs [][]int8) ([]Claim, *CCSProof, error) {
	return proveGroups(ctx, tr, pp, s, mcs, oneGroup(carried), Zs, 0)
}

// proveGroups is proveCCS for carried claims in point groups, the last
// onStep on the MCS's witness: Zs holds the instances' witnesses.
func proveGroups(ctx context.Context, tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, groups [][]Claim, Zs [][]int8, onStep int) ([]Claim, *CCSProof, error) {
	st, err := newGroupedStatement(tr, pp, s, mcs, groups, onStep)
	if err != nil {
		return nil, nil, err
	}
	mags := magnitude(Zs)
	ph, err := newPhase1(st, s, Zs, mags)
	if err != nil {
		return nil, nil, err
	}
	rounds, alphaP, c1, err := sumcheck.ProveRounds(ctx, tr, st.claim, st.degree, digitVars, ph.round)
	if err != nil {
		return nil, nil, fmt.Errorf("phase 1: %w", err)
	}
	carried := slices.Concat(groups...)
	tables, err := ph.phase2Tables(s, alphaP, carried)
	if err != nil {
		return nil, nil, err
	}
	proof2, rP, err := sumcheck.Prove(ctx, tr, c1, st.g, tables)
	if err != nil {
		return nil, nil, fmt.Errorf("phase 2: %w", err)
	}
	vs, err := ColumnWeights(s, rP)
	if err != nil {
		return nil, nil, err
	}
	ys, err := mulDigits(Zs, vs, mags)
	if err != nil {
		return nil, nil, err
	}
	absorbOutputs(tr, ys)
	return st.outputs(mcs, carried, rP, ys), &CCSProof{Rounds: rounds, Sumcheck: proof2, Y: ys}, nil
}

// absorbOutputs absorbs y' instance-major, then j, then ρ (§2.2 step 8).
func absorbOutputs(tr *transcript.Transcript, ys [][][]K) {
	var flat []K
	for _, y := range ys {
		flat = append(flat, slices.Concat(y...)...)
	}
	tr.AppendExt("ccs/y", flat...)
}

// outputs returns the instances' claims at r' with evaluations ys (§2.7):
// the MCS's, then each carried claim's that has a witness of its own.
func (st *ccsStatement) outputs(mcs MCS, carried []Claim, rP []K, ys [][][]K) []Claim {
	out := make([]Claim, st.kin)
	out[0] = Claim{C: mcs.C, X: st.x0, R: rP, Y: ys[0]}
	for i, c := range carried[:st.kin-1] {
		out[i+1] = Claim{C: c.C, X: c.X, R: rP, Y: ys[i+1]}
	}
	return out
}

// phase2Tables binds the last digit variable and builds the tables of
// fold/NEO.md §2.6 at α', in the order of ccsStatement's table indices.
func (ph *phase1) phase2Tables(s *ccs.CCS, alphaP []K, carried []Claim) ([][]K, error) {
	st := ph.st
	N := len(ph.eqBetaR)
	tables := make([][]K, st.g.N)
	eb, err := mle.Eq(alphaP, st.betaA)
	if err != nil {
		return nil, err
	}
	tables[0] = ph.eqBetaR
	scale(tables[0], eb)
	for k := range ph.tabs {
		if tables[st.tabZ(k)], err = mle.Bind(ph.tabs[k], alphaP[digitVars-1]); err != nil {
			return nil, err
		}
	}
	for j, v := range ph.mz {
		t := make([]K, N)
		for c := range v {
			t[c].A0 = v[c]
		}
		tables[st.tabM(j)] = t
	}
	if len(st.groups) == 0 {
		return tables, nil
	}
	ea, err := mle.Eq(alphaP, st.alpha)
	if err != nil {
		return nil, err
	}
	u := make([]K, N)
	mv := make([]K, ph.n)
	for g, grp := range st.groups {
		if tables[st.tabEg(g)], err = mle.EqTable(grp.point(carried)); err != nil {
			return nil, err
		}
		scale(tables[st.tabEg(g)], ea)
		if tables[st.tabV(g)], err = ph.evalTable(s, tables, grp, u, mv); err != nil {
			return nil, err
		}
	}
	return tables, nil
}

// evalTable returns V_g = Σ_j M_j·u_j, u_j = Σ_{i∈G_g} w_ij·ẑ_inst(i), M_0
// the identity: the Eval terms of group g summed before the sum-check
// (fold/NEO.md §2.6). u and mv are scratch of N and n entries.
func (ph *phase1) evalTable(s *ccs.CCS, tables [][]K, grp pointGroup, u, mv []K) ([]K, error) {
	st := ph.st
	V := make([]K, len(u))
	mats := s.Matrices()
	for j := range st.dm.t + 1 {
		clear(u)
		var p K
		for i := grp.lo; i < grp.hi; i++ {
			z := tables[st.tabZ(st.inst[i])]
			for c := range ph.m {
				p.Mul(&z[c], &st.w[i][j])
				u[c].Add(&u[c], &p)
			}
		}
		if j == 0 {
			copy(V, u)
			continue
		}
		if err := mats[j-1].MulVecK(mv, u[:ph.m]); err != nil {
			return nil, fmt.Errorf("matrix %d: %w", j, err)
		}
		for r := range mv {
			V[r].Add(&V[r], &mv[r])
		}
	}
	return V, nil
}

// scale multiplies t by e in place.
func scale(t []K, e K) {
	parallel.For(len(t), digitGrain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			t[i].Mul(&t[i], &e)
		}
	})
}

// VerifyCCS is the verifier of Π_CCS: it replays ProveCCS's transcript for
// mcs and the carried claims, checks both sum-check phases and the terminal
// identity of fold/NEO.md §2.8 against the proof's y', and returns the
// output claims ProveCCS returned. The transcript must be in the state
// ProveCCS's was in: in particular the carried claims must already be bound
// into it (through the digest of the accumulator that holds them, §2.2 step
// 3), since Π_CCS absorbs only the fresh MCS and a verifier that skipped
// that step would accept carried claims the prover chose after the
// challenges.
//
// Malformed public inputs are errors wrapping ErrShape, ErrPublic or
// ErrPoint as for ProveCCS; a proof of the wrong shape or one that fails a
// check is an error wrapping sumcheck.ErrReject, and a terminal value that
// does not match y' also wraps ErrEvaluation.
func VerifyCCS(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, carried []Claim, proof *CCSProof) ([]Claim, error) {
	out, err := verifyCCSGroups(tr, pp, s, mcs, oneGroup(carried), proof, 0)
	if err != nil {
		return nil, fmt.Errorf("neo: VerifyCCS: %w", err)
	}
	return out, nil
}

// verifyCCSGroups is VerifyCCS for carried claims in point groups, the last
// onStep on the MCS's witness: the verifier of proveCCSGroups.
func verifyCCSGroups(tr *transcript.Transcript, pp *ajtai.PublicParams, s *ccs.CCS, mcs MCS, groups [][]Claim, proof *CCSProof, onStep int) ([]Claim, error) {
	st, err := newGroupedStatement(tr, pp, s, mcs, groups, onStep)
	if err != nil {
		return nil, err
	}
	carried := slices.Concat(groups...)
	if err := st.checkProofShape(proof); err != nil {
		return nil, err
	}
	alphaP, c1, err := sumcheck.VerifyRounds(tr, st.claim, st.degree, digitVars, proof.Rounds)
	if err != nil {
		return nil, fmt.Errorf("phase 1: %w", err)
	}
	rP, err := sumcheck.Verify(tr, c1, st.g, st.dm.ell, proof.Sumcheck, func(point, evals []K) error {
		return st.checkTerminal(alphaP, point, carried, proof.Y, evals)
	})
	if err != nil {
		return nil, fmt.Errorf("phase 2: %w", err)
	}
	absorbOutputs(tr, proof.Y)
	return st.outputs(mcs, carried, rP, proof.Y), nil
}

// checkProofShape checks the parts of a proof the sum-check verifiers do not:
// K_in·(t+1) vectors y' of d entries and a phase-2 proof present.
func (st *ccsStatement) checkProofShape(p *CCSProof) error {
	if p == nil || p.Sumcheck == nil {
		return fmt.Errorf("%w: no proof", sumcheck.ErrReject)
	}
	if len(p.Y) != st.kin {
		return fmt.Errorf("%w: %w: y' for %d instances, want %d", sumcheck.ErrReject, ErrShape, len(p.Y), st.kin)
	}
	for i, y := range p.Y {
		if len(y) != st.dm.t+1 {
			return fmt.Errorf("%w: %w: y'[%d] has %d vectors, want t+1 = %d", sumcheck.ErrReject, ErrShape, i, len(y), st.dm.t+1)
		}
		for j, v := range y {
			if len(v) != ring.D {
				return fmt.Errorf("%w: %w: y'[%d][%d] has %d entries, want d = %d", sumcheck.ErrReject, ErrShape, i, j, len(v), ring.D)
			}
		}
	}
	return nil
}

// checkTerminal compares the phase-2 final evaluations with the values the
// proof's y' give at (α', r') (fold/NEO.md §2.8 step 3); with sumcheck.Verify's
// check of g(evals) this is the terminal identity v = Q(α', r').
func (st *ccsStatement) checkTerminal(alphaP, rP []K, carried []Claim, ys [][][]K, evals []K) error {
	chi, err := mle.EqTable(alphaP)
	if err != nil {
		return err
	}
	// v[i][j] = Σ_ρ eq(α', ρ)·y'_ij[ρ]
	v := make([][]K, st.kin)
	var p K
	for i := range v {
		v[i] = make([]K, st.dm.t+1)
		for j := range v[i] {
			for ρ, y := range ys[i][j] {
				p.Mul(&chi[ρ], &y)
				v[i][j].Add(&v[i][j], &p)
			}
		}
	}
	want := make([]K, st.g.N)
	ea, err := mle.Eq(alphaP, st.betaA)
	if err != nil {
		return err
	}
	er, err := mle.Eq(rP, st.betaR)
	if err != nil {
		return err
	}
	want[0].Mul(&ea, &er)
	for i := range st.kin {
		want[st.tabZ(i)] = v[i][0]
	}
	// m_j(r') = Σ_ρ b^ρ·y'_0j[ρ]: the recomposition of the MCS's digits.
	var bb goldilocks.Element
	bb.SetUint64(uint64(st.b))
	for j := range st.dm.t {
		var acc K
		for ρ := ring.D - 1; ρ >= 0; ρ-- {
			acc.MulByElement(&acc, &bb)
			acc.Add(&acc, &ys[0][j+1][ρ])
		}
		want[st.tabM(j)] = acc
	}
	if len(st.groups) > 0 {
		eg, err := mle.Eq(alphaP, st.alpha)
		if err != nil {
			return err
		}
		for g, grp := range st.groups {
			er, err := mle.Eq(rP, grp.point(carried))
			if err != nil {
				return err
			}
			want[st.tabEg(g)].Mul(&eg, &er)
			for i := grp.lo; i < grp.hi; i++ {
				for j := range st.dm.t + 1 {
					p.Mul(&st.w[i][j], &v[st.inst[i]][j])
					want[st.tabV(g)].Add(&want[st.tabV(g)], &p)
				}
			}
		}
	}
	for k := range want {
		if !want[k].Equal(&evals[k]) {
			return fmt.Errorf("%w: phase-2 table %d ends at %s, y' gives %s", ErrEvaluation, k, evals[k].String(), want[k].String())
		}
	}
	return nil
}
