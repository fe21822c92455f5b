package graphql

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The GraphQL library checks a request against the schema before any
// resolver runs, and says what is wrong in English. The mistakes a person
// writing a request makes (a wrong value of an enum, such as an audience; a
// field or an argument misspelt or forgotten) are said again in French, with
// the values allowed.
var (
	reEnumLiteral  = regexp.MustCompile(`^Value "([^"]*)" does not exist in "(\w+)!?" enum\.$`)
	reEnumVariable = regexp.MustCompile(`^(.*) is not a valid (\w+)$`)
	reUnknownField = regexp.MustCompile(`^Cannot query field "(\w+)" on type "(\w+)"\.$`)
	reUnknownArg   = regexp.MustCompile(`^Unknown argument "(\w+)" on field "([\w.]+)"\.$`)
	reDidYouMean   = regexp.MustCompile(` Did you mean (.+)\?$`)
	reMissingArg   = regexp.MustCompile(`^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\.$`)
	reScalar       = regexp.MustCompile(`^(Int|Float|String|Boolean|ID) cannot represent`)
)

// validationFrench rewrites validation messages in French; enums holds the
// values of each enum of the schema.
type validationFrench map[string][]string

func enumsOf(s *ast.Schema) validationFrench {
	out := validationFrench{}
	for name, def := range s.Types {
		if def.Kind != ast.Enum || strings.HasPrefix(name, "__") {
			continue
		}
		for _, v := range def.EnumValues {
			out[name] = append(out[name], v.Name)
		}
	}
	return out
}

// say returns msg in French when it is one of the known mistakes, else msg.
func (enums validationFrench) say(msg string) string {
	// « Did you mean "search"? » ends the messages of a misspelt name or
	// enum value.
	hint, whole := " Vérifiez son orthographe.", msg
	if m := reDidYouMean.FindStringSubmatchIndex(msg); m != nil {
		names := strings.NewReplacer(`"`, "", " or ", " ou ", "the enum value ", "").Replace(msg[m[2]:m[3]])
		hint = " Vouliez-vous dire " + names + " ?"
		msg = msg[:m[0]]
	}
	if m := reEnumLiteral.FindStringSubmatch(msg); m != nil && enums[m[2]] != nil {
		return enums.badValue(m[1], m[2])
	}
	if m := reEnumVariable.FindStringSubmatch(msg); m != nil && enums[m[2]] != nil {
		return enums.badValue(m[1], m[2])
	}
	if m := reScalar.FindStringSubmatch(msg); m != nil {
		return "Valeur refusée : " + scalarNames[m[1]] + " est attendu."
	}
	if m := reUnknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Champ « %s » inconnu sur le type %s.%s", m[1], m[2], hint)
	}
	if m := reUnknownArg.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Argument « %s » inconnu pour le champ « %s ».%s", m[1], m[2], hint)
	}
	if m := reMissingArg.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("Argument « %s » (%s) obligatoire pour le champ « %s ».", m[2], m[3], m[1])
	}
	return whole
}

// scalarNames say what a value of each scalar type is.
var scalarNames = map[string]string{"Int": "un nombre entier", "Float": "un nombre", "String": "un texte",
	"Boolean": "true ou false", "ID": "un identifiant"}

func (enums validationFrench) badValue(value, enum string) string {
	return fmt.Sprintf("Valeur « %s » refusée pour %s : valeurs permises %s.", value, enum, strings.Join(enums[enum], ", "))
}
