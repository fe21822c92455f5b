package main

import "context"

func serve(ctx context.Context, args []string) error        { return nil }
func kbCmd(ctx context.Context, args []string) error        { return nil }
func replayCmd(ctx context.Context, args []string) error    { return nil }
