// Package expr is the expression language of XLSForm: the subset of XPath
// 1.0 that relevant, constraint, calculation and choice_filter columns
// use, with ${name} references and the ODK functions a form may call.
//
// It is the server's twin of the respondent page's evaluator
// (frontend/src/respondent/xpath.js): the same grammar, the same
// conversions and the same functions, so that the server checks answers
// exactly as the page and ODK Collect checked them on the device. Both are
// compared with ODK's reference engine (@getodk/xforms-engine) on the
// conformance forms (frontend/conformance, internal/form/logic tests).
//
// Grammar, loosest binding first:
//
//	or; and; = !=; < <= > >=; + -; * div mod; unary -; | (union)
//	primary: number, 'string' or "string", ${name}, . (the node itself),
//	.. (its parent), a bare name (in a choice filter: the choice's column),
//	name(arguments), ( expression )
//
// Paths with "/" and predicates are not part of it: XLSForm writes
// ${name} where XPath would write a path. Conversions between numbers,
// strings, booleans and node-sets follow XPath 1.0 (section 4 of
// https://www.w3.org/TR/1999/REC-xpath-19991116/), and the functions
// follow the ODK XForms specification
// (https://getodk.github.io/xforms-spec/#xpath-functions).
package expr
