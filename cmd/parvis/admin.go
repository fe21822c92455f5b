package main

import (
	"context"
	"fmt"
)

func kbCmd(ctx context.Context, args []string) error {
	return fmt.Errorf("%w: kb import/export are not available yet", errUsage)
}

func replayCmd(ctx context.Context, args []string) error {
	return fmt.Errorf("%w: replay is not available yet", errUsage)
}
