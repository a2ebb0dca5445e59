package gl64

// row returns row r of a block as an array pointer, so the compiler drops the
// bounds checks of the 8 lanes.
func row(a []E, r int) *[8]E {
	return (*[8]E)(a[8*r : 8*r+8])
}

func difGeneric(a, tw []E) {
	m := len(a) / 8
	for h := m / 2; h >= 1; h /= 2 {
		stride := m / (2 * h)
		for s := 0; s < m; s += 2 * h {
			for j := range h {
				w := tw[j*stride][0]
				x, y := row(a, s+j), row(a, s+j+h)
				for c := range x {
					u, v := x[c][0], y[c][0]
					x[c][0] = Add(u, v)
					y[c][0] = Mul(Sub(u, v), w)
				}
			}
		}
	}
}

func ditGeneric(a, tw []E) {
	m := len(a) / 8
	for h := 1; h < m; h *= 2 {
		stride := m / (2 * h)
		for s := 0; s < m; s += 2 * h {
			for j := range h {
				w := tw[j*stride][0]
				x, y := row(a, s+j), row(a, s+j+h)
				for c := range x {
					u, v := x[c][0], Mul(y[c][0], w)
					x[c][0] = Add(u, v)
					y[c][0] = Sub(u, v)
				}
			}
		}
	}
}

func twiddleGeneric(a []E, t0, step *[8]E) {
	t := *t0
	for r := range len(a) / 8 {
		x := row(a, r)
		for c := range x {
			x[c][0] = Mul(x[c][0], t[c][0])
			t[c][0] = Mul(t[c][0], step[c][0])
		}
	}
}

func gatherGeneric(a, src []E, off *[8]int) {
	m := len(a) / 8
	for c, o := range off {
		s := src[o : o+m]
		for r, x := range s {
			a[8*r+c] = x
		}
	}
}

func scatterGeneric(dst []E, off *[8]int, a []E) {
	m := len(a) / 8
	for c, o := range off {
		d := dst[o : o+m]
		for r := range d {
			d[r] = a[8*r+c]
		}
	}
}
