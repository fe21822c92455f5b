package eventlog

import (
	"io"
	"io/fs"
	"os"
)

// outboxFS is all the outbox asks of the disk. Production uses [osFS]; the tests
// of this package substitute a file system that fails any one operation, runs out
// of space, or forgets what was not synced, to prove that the outbox keeps its
// promise when the disk does not cooperate.
type outboxFS interface {
	MkdirAll(dir string) error
	// ReadDir returns the names in dir, sorted.
	ReadDir(dir string) ([]string, error)
	ReadFile(name string) ([]byte, error)
	// OpenFile opens name with the os.O_* flags; a file it creates has mode 0640.
	OpenFile(name string, flag int) (outboxFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes the entries of dir (creations, renames, removals) durable.
	SyncDir(dir string) error
}

// outboxFile is an open file of the outbox. *os.File is one.
type outboxFile interface {
	io.ReaderAt
	io.WriterAt
	Stat() (fs.FileInfo, error)
	Sync() error
	Truncate(size int64) error
	Close() error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) MkdirAll(dir string) error { return os.MkdirAll(dir, 0o750) }

func (osFS) ReadDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, err
}

func (osFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

func (osFS) OpenFile(name string, flag int) (outboxFile, error) {
	f, err := os.OpenFile(name, flag, 0o640)
	if err != nil {
		return nil, err // not a nil *os.File in a non-nil interface
	}
	return f, nil
}

func (osFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

func (osFS) Remove(name string) error { return os.Remove(name) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
