package dashboards

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// TestHeatmapCellsAreReadable: every shade of the usage heatmap of the elected
// officials' dashboard keeps its figure readable, a contrast of 4.5:1 at least
// (WCAG 2.1 AA, 1.4.3) between the cell's text and its background.
func TestHeatmapCellsAreReadable(t *testing.T) {
	css, err := assets.ReadFile("assets/dashboards.css")
	if err != nil {
		t.Fatal(err)
	}
	base := regexp.MustCompile(`\.heat td \{ color: (#[0-9a-fA-F]{3,6}); \}`).FindSubmatch(css)
	if base == nil {
		t.Fatal("no text colour for the heatmap's cells")
	}
	shades := regexp.MustCompile(`\.heat td\.l(\d) \{ background: (#[0-9a-fA-F]{3,6});(?: color: (#[0-9a-fA-F]{3,6});)? \}`).FindAllSubmatch(css, -1)
	if len(shades) != 5 {
		t.Fatalf("%d shades found, want 5", len(shades))
	}
	for _, s := range shades {
		text := string(base[1])
		if len(s[3]) > 0 {
			text = string(s[3])
		}
		if r := contrast(t, text, string(s[2])); r < 4.5 {
			t.Errorf("shade l%s: %s on %s has a contrast of %.2f:1, want 4.5:1 at least", s[1], text, s[2], r)
		}
	}
}

// contrast is the WCAG contrast ratio of two colours written #rgb or #rrggbb.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(t *testing.T, hex string) float64 {
	h := hex[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var lin [3]float64
	for i := range lin {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %s: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*lin[0] + 0.7152*lin[1] + 0.0722*lin[2]
}
