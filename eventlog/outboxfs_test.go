package eventlog

import (
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"
)

// memFS is an [outboxFS] in memory that knows, besides what the process sees,
// what a power cut would leave: each file's contents as of its last Sync, and
// the directory's entries as of its last SyncDir. It can fail any operation on
// demand and run out of space. It holds one directory.
type memFS struct {
	mu      sync.Mutex
	files   map[string]*memNode // the directory as the process sees it
	durable map[string]*memNode // the entries that survive a power cut
	free    int64               // bytes left for file contents; negative: no limit
	// fail, when set, is asked before every operation (op is "open", "write",
	// "sync", "truncate", "rename", "syncdir"…, name the file's base name) and an
	// error it returns fails the operation. A failed write stores half its bytes.
	fail func(op, name string) error
}

type memNode struct {
	data   []byte // as written
	synced []byte // as of the last Sync
}

func newMemFS() *memFS {
	return &memFS{files: map[string]*memNode{}, durable: map[string]*memNode{}, free: -1}
}

func (m *memFS) check(op, name string) error {
	if m.fail == nil {
		return nil
	}
	if err := m.fail(op, filepath.Base(name)); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

// afterKill is the disk after the process is killed: everything written is there.
func (m *memFS) afterKill() *memFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := newMemFS()
	for name, node := range m.files {
		n.files[name] = &memNode{data: slices.Clone(node.data), synced: slices.Clone(node.data)}
	}
	maps.Copy(n.durable, n.files)
	return n
}

// afterPowerCut is the disk after a power cut: the entries last synced, each
// file as last synced; with torn, half of what was appended since is there too.
func (m *memFS) afterPowerCut(torn bool) *memFS {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := newMemFS()
	for name, node := range m.durable {
		data := slices.Clone(node.synced)
		if torn && len(node.data) > len(node.synced) && string(node.data[:len(node.synced)]) == string(node.synced) {
			tail := node.data[len(node.synced):]
			data = append(data, tail[:len(tail)/2]...)
		}
		n.files[name] = &memNode{data: data, synced: slices.Clone(data)}
	}
	maps.Copy(n.durable, n.files)
	return n
}

func (m *memFS) MkdirAll(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.check("mkdir", dir)
}

func (m *memFS) ReadDir(dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("readdir", dir); err != nil {
		return nil, err
	}
	var names []string
	for name := range m.files {
		names = append(names, filepath.Base(name))
	}
	slices.Sort(names)
	return names, nil
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("readfile", name); err != nil {
		return nil, err
	}
	node, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(node.data), nil
}

func (m *memFS) OpenFile(name string, flag int) (outboxFile, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("open", name); err != nil {
		return nil, err
	}
	node, ok := m.files[name]
	switch {
	case ok && flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrExist}
	case !ok && flag&os.O_CREATE == 0:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case !ok:
		node = &memNode{}
		m.files[name] = node
	}
	if flag&os.O_TRUNC != 0 {
		m.release(len(node.data))
		node.data = nil
	}
	return &memFile{fs: m, name: name, node: node}, nil
}

func (m *memFS) release(n int) {
	if m.free >= 0 {
		m.free += int64(n)
	}
}

func (m *memFS) Rename(oldpath, newpath string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("rename", oldpath); err != nil {
		return err
	}
	node, ok := m.files[oldpath]
	if !ok {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: fs.ErrNotExist}
	}
	if old, ok := m.files[newpath]; ok {
		m.release(len(old.data))
	}
	m.files[newpath] = node
	delete(m.files, oldpath)
	return nil
}

func (m *memFS) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("remove", name); err != nil {
		return err
	}
	node, ok := m.files[name]
	if !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	m.release(len(node.data))
	delete(m.files, name)
	return nil
}

func (m *memFS) SyncDir(dir string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check("syncdir", dir); err != nil {
		return err
	}
	clear(m.durable)
	maps.Copy(m.durable, m.files)
	return nil
}

type memFile struct {
	fs   *memFS
	name string
	node *memNode
}

func (f *memFile) ReadAt(b []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.fs.check("read", f.name); err != nil {
		return 0, err
	}
	if off >= int64(len(f.node.data)) {
		return 0, io.EOF
	}
	n := copy(b, f.node.data[off:])
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) WriteAt(b []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	err := f.fs.check("write", f.name)
	if err != nil {
		b = b[:len(b)/2]
	}
	if grow := off + int64(len(b)) - int64(len(f.node.data)); f.fs.free >= 0 && grow > f.fs.free {
		b = b[:max(0, int64(len(b))-(grow-f.fs.free))]
		err = &fs.PathError{Op: "write", Path: f.name, Err: syscall.ENOSPC}
	}
	if end := off + int64(len(b)); end > int64(len(f.node.data)) {
		if f.fs.free >= 0 {
			f.fs.free -= end - int64(len(f.node.data))
		}
		f.node.data = append(f.node.data, make([]byte, end-int64(len(f.node.data)))...)
	}
	copy(f.node.data[off:], b)
	return len(b), err
}

func (f *memFile) Sync() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.fs.check("sync", f.name); err != nil {
		return err
	}
	f.node.synced = slices.Clone(f.node.data)
	return nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.fs.check("truncate", f.name); err != nil {
		return err
	}
	if size > int64(len(f.node.data)) {
		return errors.New("memfs: truncate cannot extend")
	}
	f.fs.release(len(f.node.data) - int(size))
	f.node.data = f.node.data[:size]
	return nil
}

func (f *memFile) Stat() (fs.FileInfo, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.fs.check("stat", f.name); err != nil {
		return nil, err
	}
	return memInfo{name: filepath.Base(f.name), size: int64(len(f.node.data))}, nil
}

func (f *memFile) Close() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return f.fs.check("close", f.name)
}

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o640 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
