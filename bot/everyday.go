package bot

import (
	_ "embed"
	"strings"
)

// everydayQuestions are questions of daily life that citizens put to a town's
// assistant and that a town's knowledge base does not answer: the time, the
// weather, shops, health, transport, the post, private trades, general
// knowledge, and the national administrations that are not the town hall
// (income tax, family allowances, the prefecture, courts) (everyday.txt);
// and citizens' own questions about everyday needs that many towns' bases
// lack, as people wrote them (needs.txt: hornets' nests, a civil baptism, a
// lost and found office, allotments). They join the background (see
// [background]) beside the national administrative questions, so that a
// message close to one of them reads as outside the knowledge base rather
// than as a weak match of a neighbouring entry (« peut-on louer une parcelle
// dans les jardins familiaux ? » is not a question for the land-use plan). A
// town whose knowledge base does answer one of them (its market, its buses)
// keeps it out of the background: an entry covering a background question
// removes it; and an entry its experts wrote for a need answers it
// (TestTownThatCoversANeedAnswersIt).
var everydayQuestions = append(questionLines(everydayText), questionLines(needsText)...)

// questionLines returns the questions of a file, one a line, # starting a
// comment.
func questionLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

//go:embed everyday.txt
var everydayText string

//go:embed needs.txt
var needsText string
