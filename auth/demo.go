package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
)

// DemoBy is who made the demo accounts, as the log records it: a login of the
// demo taken by an account someone else made is left alone.
const DemoBy = "parvis serve --demo"

// DemoAccount is a demo account and the password it was given at this start.
type DemoAccount struct {
	Login, Name, Password string
	Role                  Role
}

// demoAccounts are the demo's people, one per role, with logins a visitor can
// guess from the role's French name.
var demoAccounts = []DemoAccount{
	{Login: "admin", Name: "Alex Morel", Role: Admin},
	{Login: "analyste", Name: "Camille Martin", Role: Analyst},
	{Login: "expert", Name: "Dominique Petit", Role: Expert},
	{Login: "elu", Name: "Claire Fabre, maire", Role: Elected},
	{Login: "agent", Name: "Sam Bernard", Role: Agent},
}

// SeedDemo gives each demo login a new random password for this start: it
// creates the accounts a previous start did not, and sets a new password on
// those it did (their hashes are all the log keeps, so the old passwords cannot
// be shown again; their sessions end). A login taken by an account the demo did
// not make, or disabled, is not touched and is returned in skipped.
func (a *Accounts) SeedDemo(ctx context.Context) (ready []DemoAccount, skipped []string, err error) {
	for _, d := range demoAccounts {
		d.Password = demoPassword()
		a.mu.Lock()
		existing, taken := a.byLogin[strings.ToLower(d.Login)]
		var acc Account
		if taken {
			acc = *existing
		}
		a.mu.Unlock()
		switch {
		case !taken:
			if _, err := a.Create(ctx, d.Login, d.Name, d.Role, "", d.Password, DemoBy); err != nil {
				return ready, skipped, fmt.Errorf("auth: demo account %s: %w", d.Login, err)
			}
		case acc.CreatedBy != DemoBy || acc.Disabled:
			skipped = append(skipped, d.Login)
			continue
		default:
			if err := a.SetPassword(ctx, acc.ID, d.Password, DemoBy); err != nil {
				return ready, skipped, fmt.Errorf("auth: demo account %s: %w", d.Login, err)
			}
			d.Role, d.Name = acc.Role, acc.Name
		}
		ready = append(ready, d)
	}
	return ready, skipped, nil
}

// demoPassword returns 15 random characters in three groups, easy to read
// aloud and to type (no 0/o, 1/l/i): about 72 bits.
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var s strings.Builder
	b := make([]byte, 1)
	for n := 0; n < 15; {
		rand.Read(b)
		if int(b[0]) >= 256/len(alphabet)*len(alphabet) {
			continue // every letter as likely as the others
		}
		if n > 0 && n%5 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[int(b[0])%len(alphabet)])
		n++
	}
	return s.String()
}
