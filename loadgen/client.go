package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// client speaks GraphQL to the server over one pool of keep-alive connections,
// as a busy reverse proxy would.
type client struct {
	url  string
	http *http.Client
}

// gqlError is an error the server answered, with its code (RATE_LIMITED,
// BAD_USER_INPUT...).
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (e *gqlError) Error() string {
	if e.Extensions.Code != "" {
		return e.Extensions.Code + ": " + e.Message
	}
	return e.Message
}

// httpError is an answer that is not GraphQL's (a proxy's 502, a 429...).
type httpError struct {
	status int
	body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

// errorCode names an error for the summary's counts.
func errorCode(err error) string {
	var g *gqlError
	var h *httpError
	switch {
	case errors.As(err, &g) && g.Extensions.Code != "":
		return g.Extensions.Code
	case errors.As(err, &g):
		return "GRAPHQL"
	case errors.As(err, &h):
		return fmt.Sprintf("HTTP_%d", h.status)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "TIMEOUT"
	default:
		return "TRANSPORT"
	}
}

func (c *client) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		if resp.StatusCode != http.StatusOK {
			return &httpError{status: resp.StatusCode, body: string(raw[:min(len(raw), 200)])}
		}
		return fmt.Errorf("answer is not GraphQL: %w", err)
	}
	if len(r.Errors) > 0 {
		return &r.Errors[0]
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

func (c *client) start(ctx context.Context, audience, tenant string) (string, error) {
	var out struct{ StartConversation struct{ ID string } }
	vars := map[string]any{"a": audience}
	if tenant != "" {
		vars["t"] = tenant
	}
	err := c.do(ctx, `mutation($a: Audience!, $t: ID) { startConversation(audience: $a, channel: "loadgen", tenant: $t) { id } }`, vars, &out)
	if err == nil && out.StartConversation.ID == "" {
		err = errors.New("startConversation answered no id")
	}
	return out.StartConversation.ID, err
}

func (c *client) send(ctx context.Context, conversation, text string) (outcome string, err error) {
	var out struct{ SendMessage struct{ Outcome string } }
	err = c.do(ctx, `mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { text outcome confidence } }`,
		map[string]any{"c": conversation, "t": text}, &out)
	return out.SendMessage.Outcome, err
}

func (c *client) noop(ctx context.Context) error {
	return c.do(ctx, `{ __typename }`, nil, nil)
}
