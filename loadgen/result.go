package loadgen

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Result is what a run measured.
type Result struct {
	Sent          int             // messages answered
	Failed        int             // messages (or starts) that got an error
	Conversations int             // conversations started
	Elapsed       time.Duration   // from the first message to the last answer
	Latencies     []time.Duration // of the answered messages, sorted
	Errors        map[string]int  // failures by code (RATE_LIMITED, HTTP_502, TRANSPORT...)
	FirstError    string
	Outcomes      map[string]int // answers by outcome (ANSWERED, CLARIFY...)
}

// Merge adds the figures of another run to r, as if both were one run of
// their total time.
func (r *Result) Merge(o *Result) {
	r.Sent += o.Sent
	r.Failed += o.Failed
	r.Conversations += o.Conversations
	r.Elapsed += o.Elapsed
	r.Latencies = append(r.Latencies, o.Latencies...)
	slices.Sort(r.Latencies)
	if r.FirstError == "" {
		r.FirstError = o.FirstError
	}
	for _, m := range []struct {
		to   *map[string]int
		from map[string]int
	}{{&r.Errors, o.Errors}, {&r.Outcomes, o.Outcomes}} {
		if *m.to == nil {
			*m.to = map[string]int{}
		}
		for k, v := range m.from {
			(*m.to)[k] += v
		}
	}
}

// Rate returns the messages answered a second.
func (r *Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Sent) / r.Elapsed.Seconds()
}

// Percentile returns the latency under which a share p (0 to 1) of the answered
// messages came; 0 without any.
func (r *Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	return r.Latencies[int(float64(len(r.Latencies)-1)*p+0.5)]
}

// WriteSummary writes the run's figures in French, for the person who ran it.
func (r *Result) WriteSummary(w io.Writer) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "envoyés : %d messages en %.1f s (%d conversations), erreurs : %d\n",
		r.Sent, r.Elapsed.Seconds(), r.Conversations, r.Failed)
	fmt.Fprintf(w, "débit : %.0f messages/s\n", r.Rate())
	fmt.Fprintf(w, "attente d'une réponse : p50 %s, p95 %s, p99 %s, max %s\n",
		ms(r.Percentile(0.5)), ms(r.Percentile(0.95)), ms(r.Percentile(0.99)), ms(r.Percentile(1)))
	if len(r.Outcomes) > 0 {
		fmt.Fprintf(w, "réponses : %s\n", counts(r.Outcomes))
	}
	if r.Failed > 0 {
		fmt.Fprintf(w, "erreurs par code : %s ; la première : %s\n", counts(r.Errors), r.FirstError)
		if r.Errors["RATE_LIMITED"] > 0 {
			fmt.Fprintln(w, "RATE_LIMITED : le serveur limite les messages par adresse ; pour un test de charge, lancez-le avec --chat-rate-limit 0")
		}
	}
}

func counts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// ProgressBar returns a Progress function that redraws one line on w (a
// terminal's standard error): a bar, the time, the messages and the errors.
func ProgressBar(w io.Writer) func(Progress) {
	const width = 30
	return func(p Progress) {
		done := 0.0
		switch {
		case p.Messages > 0:
			done = float64(p.Sent+p.Errors) / float64(p.Messages)
		case p.Duration > 0:
			done = p.Elapsed.Seconds() / p.Duration.Seconds()
		}
		n := int(min(1, done) * width)
		rate := 0.0
		if p.Elapsed > 0 {
			rate = float64(p.Sent) / p.Elapsed.Seconds()
		}
		fmt.Fprintf(w, "\r[%s%s] %3.0f %%  %5.0f s  envoyés %d  erreurs %d  %.0f messages/s ",
			strings.Repeat("#", n), strings.Repeat(".", width-n), min(1, done)*100, p.Elapsed.Seconds(), p.Sent, p.Errors, rate)
	}
}
