package graphql

import (
	"context"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/parvis-civic/parvis/graphql/generated"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/web"
)

// Limits of what one request may ask.
const (
	maxComplexity = 20000
	// maxBodyBytes leaves room for a demande's photo (256 KiB, in base64).
	maxBodyBytes = 384 << 10
	// maxStaffBodyBytes lets an authenticated caller send a spreadsheet in
	// base64 (kb.MaxSheetBytes and a third more).
	maxStaffBodyBytes = 28 << 20
	// queryCost is the complexity of a field that queries ClickHouse: at most
	// twenty of them in one request, however they are aliased.
	queryCost = 1000
	// maxSearch is the longest text searched in the knowledge base: a question,
	// not a document.
	maxSearch = 200
)

// pageSize is the size of a page asked for, for its cost: def when not
// asked; [pageOf] checks it.
func pageSize(n *int, def int) int {
	if n == nil {
		return def
	}
	return max(1, *n)
}

// pageOf returns the size of a page asked for (def when not asked), refusing
// one below 1 or above most.
func pageOf(n *int, def, most int) (int, error) {
	if n == nil {
		return def, nil
	}
	if *n < 1 || *n > most {
		return 0, badInput(fmt.Sprintf("« first » doit être entre 1 et %d.", most))
	}
	return *n, nil
}

// setCosts gives fields the complexity of what they do, so that the limit is
// reached before a request asks for too much: lists cost what they may return
// (many aliases of a long list add up), and fields that query ClickHouse cost a
// query each.
func setCosts(c *generated.ComplexityRoot) {
	q := &c.Query
	q.KbEntries = func(child int, _ *string, first *int) int { return 1 + child*pageSize(first, 50) }
	q.UnansweredClusters = func(child int, _, _ time.Time, limit *int, _ *model.Audience, _ *model.SignalReason, _, _ *string, _ *bool) int {
		return queryCost + child*pageSize(limit, 20)
	}
	period := func(child int, _, _ time.Time, _ *string) int { return queryCost + child }
	q.AudienceSplit, q.Activity = period, period
	q.Overview = period
	q.Usage = func(child int, _, _ time.Time, _ *model.Bucket, _ *string) int { return queryCost + child }
	q.Needs = func(child int, _, _ time.Time, _ model.NeedDimension, limit *int, _ *string) int {
		return queryCost + child*pageSize(limit, 10)
	}
	q.Conversation = func(child int, _ string) int { return queryCost + child }
	// An export reads seven tables; the coverage three; the studio one (its
	// entries are in memory: a page of 2,000 is its usual read).
	q.ExportConversation = func(child int, _ string) int { return 7*queryCost + child }
	q.KbCoverage = func(child int, _, _ time.Time) int { return 3*queryCost + child }
	q.KbStudio = func(child int, _, _ *string, _ *model.Audience, _, _ *string, _, _ *bool, _ *int) int {
		return queryCost + child
	}
	q.CampaignReport = func(child int, _ string) int { return queryCost + child }
	q.UnansweredCluster = func(child int, _ string, _, _ time.Time, _ *string) int { return queryCost + child }
	q.UnansweredThemes = func(child int, _ *string) int { return queryCost + child }
	q.KbSuggestions = func(child int, _ *string, _ *model.SuggestionKind, first *int, _ *string) int {
		return queryCost + child*pageSize(first, 50)
	}
	q.OpenData = func(child int, _, _ string) int { return 2*queryCost + child }
	// Demandes: the figures query ClickHouse; the desk's list opens each
	// demande's sealed part.
	q.DemandeFigures = func(child int, _, _ time.Time, _ *string) int { return queryCost + child }
	q.Demandes = func(child int, _ *string, _ *model.DemandeStatus, _ *bool, _ *string, first *int, _ *string) int {
		return 1 + child*pageSize(first, 200)
	}
}

// publicOps are the fields anyone may call that make something happen or search:
// each one, every alias counted, is paid for from the caller's address budget.
var publicOps = map[string]func(args map[string]any) bool{
	"startConversation": always,
	"sendMessage":       always,
	"giveFeedback":      always,
	"chooseSuggestion":  always,
	"fileDemande":       always,
	"demande":           always,
	"rateAnswer":        always,
	"finishScenario":    always,
	"testCampaign":      always,
	"kbEntries":         func(args map[string]any) bool { s, _ := args["search"].(*string); return s != nil && *s != "" },
}

func always(map[string]any) bool { return true }

// limitPublic charges the public operations to the client's address (set by
// web.WithClientAddr) before they run; nil limits nothing.
func limitPublic(limit *web.Limiter) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc != nil && (fc.Object == "Mutation" || fc.Object == "Query") {
			if charged, ok := publicOps[fc.Field.Name]; ok && charged(fc.Args) && !limit.Allow(web.ClientAddr(ctx)) {
				return nil, errRateLimited
			}
		}
		return next(ctx)
	}
}
