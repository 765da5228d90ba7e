#pragma once
// Writes a file so that readers see either the old contents or the complete new ones, never a
// half-written file. The bytes go to `path + ".tmp-<pid>-XXXXXX"` in the same directory (so the rename
// stays on one filesystem and is atomic), are flushed and fsynced, and the temporary file is then
// renamed over `path`. If `write` throws or any step fails, the temporary file is removed and an
// existing file at `path` is left untouched. Temporary files of `path` left by writers that were
// killed (their pid no longer runs) are removed before writing.
#include <functional>
#include <ostream>
#include <string>

namespace aekit {

// Throws InputError naming `path` when the file cannot be created, written or renamed; an exception
// thrown by `write` propagates unchanged after the cleanup.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// Removes the temporary files of `path` left by writers that were killed (their pid no longer
// runs); write_file_atomically does this itself before each write. A run that writes `path`
// repeatedly (checkpoints) calls it when it starts.
void remove_stale_temporary_files(const std::string& path);

// For a signal handler that ends the process: removes the temporary file of the write in progress,
// if one is, so an interrupted save leaves nothing behind. Async-signal-safe (one unlink).
void remove_file_being_written();

}  // namespace aekit
