package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
)

// figure is one measurement against the machine's limit for the same work.
type figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Limit float64 `json:"limit"`
	Ratio float64 `json:"ratio"`
}

var results struct {
	sync.Mutex
	figures []figure
}

// record adds a figure and rewrites results.json with every figure of this run,
// so that a run cut short still leaves what it measured.
func record(name, unit string, value, limit float64) {
	results.Lock()
	defer results.Unlock()
	f := figure{Name: name, Value: value, Unit: unit, Limit: limit}
	if limit > 0 {
		f.Ratio = value / limit
	}
	results.figures = append(results.figures, f)
	b, err := json.MarshalIndent(map[string]any{"machine": machine(), "figures": results.figures}, "", "  ")
	if err == nil {
		err = os.WriteFile("results.json", append(b, '\n'), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: results.json:", err)
	}
}

// machine names the processor and the cores the figures were measured on.
func machine() string {
	model := runtime.GOARCH
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		for sc := bufio.NewScanner(f); sc.Scan(); {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s", model, runtime.NumCPU(), runtime.Version())
}

// printTable prints every figure of the run beside its limit.
func printTable() {
	results.Lock()
	defer results.Unlock()
	if len(results.figures) == 0 {
		return
	}
	fmt.Printf("\n%-16s %12s %-9s %12s %7s\n", "figure", "value", "unit", "limit", "ratio")
	for _, f := range results.figures {
		limit, ratio := "-", "-"
		if f.Limit > 0 {
			limit, ratio = fmt.Sprintf("%.0f", f.Limit), fmt.Sprintf("%.2f", f.Ratio)
		}
		fmt.Printf("%-16s %12.1f %-9s %12s %7s\n", f.Name, f.Value, f.Unit, limit, ratio)
	}
	fmt.Println(machine())
}
