package demandes

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/parvis-civic/parvis/demandes/connector"
)

// Personal data of a demande is crypto-shredded. What identifies or locates the
// citizen is encrypted (AES-256-GCM, the tracking code as additional data) with
// a key drawn for that demande alone, and only the ciphertext goes on the log,
// where the events table of the projections copies it. The key is kept apart,
// in a [KeyStore]; destroying it makes every copy of the ciphertext unreadable
// at once (the log, its replays, ClickHouse, backups), without rewriting any of
// them.

// ErrErased is returned when a demande's key is gone: its personal part is
// erased.
var ErrErased = errors.New("demandes: personal data erased")

// Personal is the sealed part of a demande.
type Personal struct {
	Description string           `json:"description"` // as the citizen wrote it
	Address     string           `json:"address,omitempty"`
	Point       *connector.Point `json:"point,omitempty"`
	Email       string           `json:"email,omitempty"`
	Phone       string           `json:"phone,omitempty"`
	Photo       *connector.File  `json:"photo,omitempty"`
}

// KeyStore keeps the demandes' keys, one file per demande in a directory of
// the data directory (mode 0600). A file rather than a compacted topic: erasing
// is removing the file and syncing the directory, done when the call returns,
// whereas a tombstone on a compacted topic leaves the key readable on the log
// until the cleaner runs (and the embedded broker never compacts). The process
// that files demandes and the ones that read their contact (delivery, e-mails)
// share it: they run in the api role.
type KeyStore struct{ dir string }

// OpenKeyStore opens (creating it) the key directory.
func OpenKeyStore(dir string) (*KeyStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("demandes: key store: %w", err)
	}
	return &KeyStore{dir: dir}, nil
}

var keyName = regexp.MustCompile(`^[A-Z]{2,6}-[0-9]{4}-[0-9]{6,9}-[0-9A-Z]{4}$`)

func (s *KeyStore) path(code string) (string, error) {
	if !keyName.MatchString(code) {
		return "", fmt.Errorf("demandes: key store: bad code %q", code)
	}
	return filepath.Join(s.dir, code), nil
}

// ErrTaken is returned by [KeyStore.New] when the code already has a key:
// another process filed a demande with that number.
var ErrTaken = errors.New("demandes: tracking code already taken")

// New draws and keeps a fresh key for a demande, durably. The key file is
// linked in place only if none exists, so that two processes sharing the
// directory never give one code to two demandes: the second gets ErrTaken.
func (s *KeyStore) New(code string) ([]byte, error) {
	p, err := s.path(code)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	tmp := p + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("demandes: key store: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(key))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp, p)
	}
	os.Remove(tmp)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrTaken
	}
	if err == nil {
		err = s.syncDir()
	}
	if err != nil {
		return nil, fmt.Errorf("demandes: key store: %w", err)
	}
	return key, nil
}

// Get returns a demande's key, or ErrErased when it is gone.
func (s *KeyStore) Get(code string) ([]byte, error) {
	p, err := s.path(code)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrErased
	}
	if err != nil {
		return nil, fmt.Errorf("demandes: key store: %w", err)
	}
	key, err := hex.DecodeString(string(b))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("demandes: key store: key of %s is damaged", code)
	}
	return key, nil
}

// Erase destroys a demande's key; erasing an erased key is no error.
func (s *KeyStore) Erase(code string) error {
	p, err := s.path(code)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("demandes: key store: %w", err)
	}
	return s.syncDir()
}

func (s *KeyStore) syncDir() error {
	d, err := os.Open(s.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Words are what an agent writes on a demande, sealed like its personal part
// (see events.DemandeStatusChanged).
type Words struct {
	Message string `json:"message,omitempty"`
	Note    string `json:"note,omitempty"`
}

// seal encrypts a part of a demande (its [Personal] part, an agent's [Words])
// with its key.
func seal(key []byte, code string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	gcm, err := newGCM(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, plain, []byte(code))), nil
}

// open decrypts a sealed part into v.
func open(key []byte, code, sealed string, v any) error {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return fmt.Errorf("demandes: sealed part of %s: %w", code, err)
	}
	gcm, err := newGCM(key)
	if err != nil {
		return err
	}
	if len(raw) < gcm.NonceSize() {
		return fmt.Errorf("demandes: sealed part of %s is too short", code)
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(code))
	if err != nil {
		return fmt.Errorf("demandes: sealed part of %s: %w", code, err)
	}
	return json.Unmarshal(plain, v)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
