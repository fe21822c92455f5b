package kb

import (
	"fmt"
	"time"
)

// ReviewAfter is how long a published answer stands before an expert should
// read it again, when the entry sets no review date.
const ReviewAfter = 365 * 24 * time.Hour

// ParseReviewDate reads a review date, YYYY-MM-DD (or DD/MM/YYYY, as towns
// write dates in spreadsheets).
func ParseReviewDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date de relecture « %s » : attendu AAAA-MM-JJ ou JJ/MM/AAAA", s)
}

// ReviewDue returns when an entry should be read again: its own review date,
// or [ReviewAfter] after publishedAt; zero when it has neither.
func ReviewDue(e Entry, publishedAt time.Time) time.Time {
	if t, err := ParseReviewDate(e.ReviewBy); err == nil {
		return t
	}
	if publishedAt.IsZero() {
		return time.Time{}
	}
	return publishedAt.Add(ReviewAfter)
}
