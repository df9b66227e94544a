package form

import "strings"

// How a ${name} reference is written in an XForm depends on where it is
// evaluated. XForm engines evaluate an absolute path such as
// /form/members/age over every occurrence of the repeat, so a reference
// made inside a repeat to a field of the same occurrence must be relative
// to the node it is evaluated for, as pyxform writes it: ../age from a
// sibling, ../../age from a node one group or repeat deeper. A reference to
// a field outside every repeat the context is in stays absolute.

// repeatsAround lists the repeats that hold path, outermost first; with
// self, a repeat's own path counts as holding it (its bind is evaluated
// for each occurrence).
func (g *xformWriter) repeatsAround(path string, self bool) []string {
	var out []string
	parts := strings.Split(path, "/")
	// parts[0] is empty and parts[1] the form's root.
	for i := 2; i <= len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		if p == path && !self {
			break
		}
		if g.repeats[p] {
			out = append(out, p)
		}
	}
	return out
}

// refPath gives the XPath a ${name} reference to target is written as when
// it is evaluated for the node at context ("" when there is none, as in a
// choice label shared by several selects). Inside a repeat that also holds
// the target, the path is relative to the context node and goes up only as
// far as the nodes the two share; otherwise it is absolute. A target that
// is itself a repeat stands for all its occurrences, so it only counts as
// inside the repeats around it. A repeat named from inside itself
// (count(${kids}) within kids) stays absolute, as pyxform writes it: the
// relative path would go up to the context's own occurrence and count 1,
// while the absolute path is every occurrence of the repeat in the form,
// which is how ODK engines and the respondent engine read it.
func (g *xformWriter) refPath(context, target string) string {
	if context == "" {
		return target
	}
	if g.repeats[target] && (context == target || strings.HasPrefix(context, target+"/")) {
		return target
	}
	outer := g.repeatsAround(target, false)
	inner := g.repeatsAround(context, true)
	shared := false
	for i := 0; i < len(outer) && i < len(inner); i++ {
		if outer[i] != inner[i] {
			break
		}
		shared = true
	}
	if !shared {
		return target
	}
	c := strings.Split(context, "/")
	t := strings.Split(target, "/")
	// Go up at least one step, as pyxform does: a node refers to itself or
	// its own children from its parent (../age, ../group/age).
	i := 0
	for i < len(c)-1 && i < len(t) && c[i] == t[i] {
		i++
	}
	steps := make([]string, 0, len(c)-i+len(t)-i)
	for range c[i:] {
		steps = append(steps, "..")
	}
	steps = append(steps, t[i:]...)
	return strings.Join(steps, "/")
}

// exprAt turns the ${name} references of an expression evaluated for the
// node at context into XPaths. In a choice filter (predicate set) the
// expression is evaluated for each choice, so a relative path starts from
// the field with current().
func (g *xformWriter) exprAt(s, context string, predicate bool) (string, error) {
	return RewriteRefs(s, func(n string) string {
		p := g.refPath(context, g.paths[n])
		if predicate && !strings.HasPrefix(p, "/") {
			p = "current()/" + p
		}
		return p
	})
}
