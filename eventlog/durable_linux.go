package eventlog

import (
	"errors"
	"io/fs"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// inotifyWatch learns from the kernel (inotify) which files under a directory
// were written: a round costs one read when nothing was, rather than a listing
// of the whole log.
type inotifyWatch struct {
	fd    int
	dirs  map[int]string // watch descriptor → directory
	buf   []byte
	first bool
}

const watchMask = unix.IN_MODIFY | unix.IN_CREATE | unix.IN_MOVED_TO

// watchChanges watches dir and the directories under it; without inotify (or
// past its limits) every round syncs every file.
func watchChanges(dir string) changeWatch {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return everything{}
	}
	// The first round syncs everything: a broker killed before may have left
	// writes it never acknowledged, which it serves again now.
	w := &inotifyWatch{fd: fd, dirs: map[int]string{}, buf: make([]byte, 64<<10), first: true}
	if _, ok := w.add(dir); !ok {
		w.close()
		return everything{}
	}
	return w
}

// add watches dir and the directories under it, and returns what they hold:
// written, it may be, before its watch began.
func (w *inotifyWatch) add(dir string) (paths []string, ok bool) {
	ok = true
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // removed meanwhile
		}
		if d.IsDir() {
			wd, err := unix.InotifyAddWatch(w.fd, path, watchMask)
			if err != nil {
				ok = false
				return filepath.SkipAll
			}
			w.dirs[wd] = path
		}
		paths = append(paths, path)
		return nil
	})
	return paths, ok
}

func (w *inotifyWatch) changed() (paths []string, all bool) {
	all, w.first = w.first, false
	for {
		n, err := unix.Read(w.fd, w.buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if n <= 0 {
			return paths, all // EAGAIN: nothing more written
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&w.buf[off]))
			name := w.buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if ev.Mask&unix.IN_Q_OVERFLOW != 0 {
				all = true
				continue
			}
			if ev.Mask&unix.IN_IGNORED != 0 {
				delete(w.dirs, int(ev.Wd)) // its directory was removed
				continue
			}
			dir, known := w.dirs[int(ev.Wd)]
			if !known {
				continue
			}
			path := filepath.Join(dir, cString(name))
			switch {
			case ev.Mask&unix.IN_ISDIR != 0 && ev.Mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0:
				more, ok := w.add(path)
				all = all || !ok
				paths = append(append(paths, dir), more...)
			case ev.Mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0:
				paths = append(paths, dir, path)
			case ev.Mask&unix.IN_ISDIR == 0:
				paths = append(paths, path)
			}
		}
	}
}

func (w *inotifyWatch) close() { unix.Close(w.fd) }

// cString is a name as inotify gives it, NUL-padded.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
