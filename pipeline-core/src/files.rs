//! What a path is, and reading only regular files: a FIFO would block a read forever, a device
//! such as /dev/zero would never end it.

use std::fs;
use std::io;
use std::path::Path;

/// What something that is not a regular file or a folder is, in words; `None` for those two.
pub(crate) fn special(file_type: &fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_file() || file_type.is_dir() {
        None
    } else if file_type.is_fifo() {
        Some("a FIFO")
    } else if file_type.is_char_device() || file_type.is_block_device() {
        Some("a device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    }
}

/// The text of the regular file at `path` (through symbolic links); anything else is an error
/// that says what it is.
pub(crate) fn read_text(path: &Path) -> io::Result<String> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::other("it is a folder, not a file"));
    }
    if let Some(what) = special(&meta.file_type()) {
        return Err(io::Error::other(format!("it is {what}, not a file")));
    }
    fs::read_to_string(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yml");
        fs::write(&file, "x: 1").unwrap();
        assert_eq!(read_text(&file).unwrap(), "x: 1");
        let err = read_text(dir.path()).unwrap_err().to_string();
        assert_eq!(err, "it is a folder, not a file");
        let fifo = std::ffi::CString::new(dir.path().join("p").to_str().unwrap()).unwrap();
        // SAFETY: a C string that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        assert_eq!(
            read_text(&dir.path().join("p")).unwrap_err().to_string(),
            "it is a FIFO, not a file"
        );
        assert_eq!(
            read_text(Path::new("/dev/zero")).unwrap_err().to_string(),
            "it is a device, not a file"
        );
    }
}
