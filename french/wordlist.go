package french

import (
	"bufio"
	"os"
	"strings"
	"sync"
)

// WordListPath is where Debian's wfrench package installs its list of French
// words (346,000 forms, one a line, UTF-8; GPL-2+, read at run time, never
// copied into Parvis). scripts/deps.sh says when it is missing.
const WordListPath = "/usr/share/dict/french"

var (
	wordListOnce sync.Once
	wordList     []string
)

// WordList returns the words of [WordListPath], read once, or nil when the file
// is missing: spelling correction then knows fewer correct words.
func WordList() []string {
	wordListOnce.Do(func() { wordList = readWordList(WordListPath) })
	return wordList
}

func readWordList(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			out = append(out, w)
		}
	}
	if sc.Err() != nil {
		return nil
	}
	return out
}
