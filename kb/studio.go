package kb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrSameAuthor refuses the validation of a draft by its own author when the
// « second pair of eyes » rule is on ([Writer.FourEyes]).
var ErrSameAuthor = errors.New("kb: the author of a draft cannot validate it")

// Retire takes an entry out of the bot for good (until restored): the published
// version stops answering at once and a pending version is dropped.
func (w *Writer) Retire(ctx context.Context, id, by string) (Entry, error) {
	cur, err := w.existing(ctx, id)
	if err != nil {
		return cur, err
	}
	e, ok := w.State.PublishedEntry(id)
	if !ok {
		e = cur
	}
	if err := w.allow(ctx, e); err != nil {
		return e, err
	}
	if e.Status == Retired {
		return e, fmt.Errorf("%w: %s is retired already", ErrWrongStatus, id)
	}
	e.Status = Retired
	return e, w.emit(ctx, lifecycle[Retired], e, by)
}

// Restore brings a retired entry back as a draft of its last version: it answers
// again once validated and published.
func (w *Writer) Restore(ctx context.Context, id, by string) (Entry, error) {
	e, err := w.existing(ctx, id)
	if err != nil {
		return e, err
	}
	if err := w.allow(ctx, e); err != nil {
		return e, err
	}
	if e.Status != Retired {
		return e, fmt.Errorf("%w: %s is %s, not retired", ErrWrongStatus, id, e.Status)
	}
	e.Status = Draft
	return e, w.emit(ctx, lifecycle[Draft], e, by)
}

// checkValidator applies the « second pair of eyes » rule.
func (w *Writer) checkValidator(id, by string) error {
	if w.FourEyes && by != "" && w.State.Drafter(id) == by {
		return ErrSameAuthor
	}
	return nil
}

// checkLinks refuses a link without a label or whose address is neither
// http(s) nor tel: (a javascript: or data: link in an answer would run in the
// citizen's page).
func checkLinks(ls []Link) error {
	for i, l := range ls {
		if l.Label == "" {
			return fmt.Errorf("%w: le lien %d n'a pas de libellé", ErrInvalidEntry, i+1)
		}
		if !SafeURL(l.URL) {
			return fmt.Errorf("%w: le lien %d (« %s ») n'est ni une adresse http(s) ni un numéro tel:", ErrInvalidEntry, i+1, l.URL)
		}
	}
	return nil
}

// SafeURL reports whether an address may be shown as a link to citizens:
// http(s) with a host, or tel: with a phone number.
func SafeURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tel":
		num := strings.TrimPrefix(strings.ToLower(s), "tel:")
		return num != "" && strings.Trim(num, "+0123456789 .-()") == ""
	}
	return false
}
