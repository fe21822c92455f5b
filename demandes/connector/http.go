package connector

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxAnswer bounds what is read of a platform's answer: a status or a
// submission receipt is a few kilobytes, and a platform that misbehaves must
// not fill Parvis's memory.
const maxAnswer = 4 << 20

// Call sends req with a deadline of timeout and reads the answer, so that every
// connector tells temporary failures from refusals the same way: the platform
// unreachable (connection refused, DNS, reset), a timeout, a 5xx, a 408 or a
// 429 come back as a [TemporaryError]; any other answer, 4xx included, comes
// back with its status code and body for the connector to read the platform's
// own message.
func Call(ctx context.Context, client *http.Client, req *http.Request, timeout time.Duration) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, &TemporaryError{Err: fmt.Errorf("%s: %w", where(req), err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, &TemporaryError{Err: fmt.Errorf("%s: reading the answer: %w", where(req), err)}
	}
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests:
		return resp.StatusCode, body, &TemporaryError{Err: fmt.Errorf("%s: %s", where(req), resp.Status)}
	}
	return resp.StatusCode, body, nil
}

// where names a request in errors without its query, which carries signatures.
func where(req *http.Request) string {
	u := *req.URL
	u.RawQuery, u.User = "", nil
	return req.Method + " " + u.String()
}
