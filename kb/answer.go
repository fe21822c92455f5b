package kb

import (
	"fmt"
	"regexp"
	"strings"
)

// The answers' small safe format, the one the widget and the studio render
// (ingest/widget/widget.js, dashboards/assets/answer.js): a blank line
// separates paragraphs; lines starting with « - », « * » or « • » make a list,
// « 1. » or « 1) » a numbered list; [texte](https://…) is a link, as is a bare
// https:// address; a French phone number is a tel: link. Nothing else has a
// meaning: HTML is text, shown as written. Only http(s) and tel: addresses
// become links.

// MaxAnswerRunes is the longest answer accepted, in characters.
const MaxAnswerRunes = 20000

// MaxQuestionRunes is the longest question accepted, in characters, and
// MaxAlternatives the most other phrasings an entry may have.
const (
	MaxQuestionRunes = 500
	MaxAlternatives  = 200
)

// BlockKind is what a block of an answer is.
type BlockKind string

// Block kinds.
const (
	Paragraph BlockKind = "p"
	Bullets   BlockKind = "ul"
	Numbered  BlockKind = "ol"
)

// Block is a paragraph (its lines) or a list (its items), each line a run of
// inline segments.
type Block struct {
	Kind  BlockKind
	Lines [][]Segment
}

// Segment is a run of text, a link when URL is set.
type Segment struct {
	Text string
	URL  string
}

var (
	bulletLine   = regexp.MustCompile(`^\s*[-*•]\s+`)
	numberedLine = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+`)
	inlineRe     = regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]+)\)|(https?://[^\s<>()]+[^\s<>().,;:!?'"»])|((?:\+33 ?|\b0)[1-9](?:[ .-]?\d{2}){4}\b)`)
	telClean     = strings.NewReplacer(" ", "", ".", "", "-", "")
)

// ParseAnswer reads an answer into blocks.
func ParseAnswer(text string) []Block {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var out []Block
	for _, chunk := range regexp.MustCompile(`\n\s*\n`).Split(text, -1) {
		var lines []string
		for _, l := range strings.Split(chunk, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		for i := 0; i < len(lines); {
			kind, re := Paragraph, (*regexp.Regexp)(nil)
			switch {
			case bulletLine.MatchString(lines[i]):
				kind, re = Bullets, bulletLine
			case numberedLine.MatchString(lines[i]):
				kind, re = Numbered, numberedLine
			}
			b := Block{Kind: kind}
			for ; i < len(lines); i++ {
				isItem := bulletLine.MatchString(lines[i]) || numberedLine.MatchString(lines[i])
				if kind == Paragraph && isItem || kind != Paragraph && !re.MatchString(lines[i]) {
					break
				}
				l := lines[i]
				if re != nil {
					l = re.ReplaceAllString(l, "")
				}
				b.Lines = append(b.Lines, inline(strings.TrimSpace(l)))
			}
			out = append(out, b)
		}
	}
	return out
}

// inline splits a line into text and links; adjacent texts are one segment.
func inline(s string) []Segment {
	var out []Segment
	addText := func(t string) {
		if n := len(out); n > 0 && out[n-1].URL == "" {
			out[n-1].Text += t
			return
		}
		out = append(out, Segment{Text: t})
	}
	last := 0
	for _, m := range inlineRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			addText(s[last:m[0]])
		}
		last = m[1]
		switch {
		case m[2] >= 0: // [label](url)
			label, u := s[m[2]:m[3]], s[m[4]:m[5]]
			if SafeURL(u) {
				out = append(out, Segment{Text: label, URL: u})
			} else {
				addText(s[m[0]:m[1]])
			}
		case m[6] >= 0:
			if u := s[m[6]:m[7]]; SafeURL(u) {
				out = append(out, Segment{Text: u, URL: u})
			} else {
				addText(u)
			}
		default:
			num := s[m[8]:m[9]]
			out = append(out, Segment{Text: num, URL: "tel:" + telClean.Replace(num)})
		}
	}
	if last < len(s) {
		addText(s[last:])
	}
	return out
}

// markdownLink finds [label](address) whatever the address, to refuse the
// unsafe ones.
var markdownLink = regexp.MustCompile(`\[[^\]\n]+\]\(([^)\s]*)\)`)

// CheckAnswer refuses an answer with a link whose address is neither http(s)
// nor tel: (the message is for the expert, in French).
func CheckAnswer(text string) error {
	for _, m := range markdownLink.FindAllStringSubmatch(text, -1) {
		if !SafeURL(m[1]) {
			return fmt.Errorf("lien « %s » refusé : seules les adresses http(s):// et tel: sont permises", m[1])
		}
	}
	return nil
}

// PlainAnswer is an answer as plain text: links as their text followed by their
// address, for channels that show no links.
func PlainAnswer(text string) string {
	var b strings.Builder
	for i, bl := range ParseAnswer(text) {
		if i > 0 {
			b.WriteString("\n\n")
		}
		for j, l := range bl.Lines {
			if j > 0 {
				b.WriteString("\n")
			}
			switch bl.Kind {
			case Bullets:
				b.WriteString("• ")
			case Numbered:
				fmt.Fprintf(&b, "%d. ", j+1)
			}
			for _, s := range l {
				b.WriteString(s.Text)
				if s.URL != "" && s.URL != s.Text && !strings.HasPrefix(s.URL, "tel:") {
					b.WriteString(" (" + s.URL + ")")
				}
			}
		}
	}
	return b.String()
}
