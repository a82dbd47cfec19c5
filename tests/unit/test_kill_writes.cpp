// Writes that survive a kill (issue #19): every writer runs as a child process and is killed
// (a) with SIGKILL at seeded random times and (b) when a write crosses N bytes (RLIMIT_FSIZE = N,
// SIGXFSZ at its default action: the kernel kills the process), N swept over the output size.
// After each kill the previous output is byte-identical or is a complete new file that loads, no
// partial file sits at a final path, and a re-run completes (for `dotakv dataset`, equal to an
// uninterrupted run with the same seed) leaving no temporary files behind. Disk full
// (RLIMIT_FSIZE with SIGXFSZ ignored, and a small tmpfs where mounting works) and a read-only
// directory (the child drops root to nobody) give exit 1 with one line `dotakv: error: ...` naming
// the file, and leave the old output and no temporary file.
//
// The matrix it measures is docs/kill_safety.md's generated section: `DOTAKV_UPDATE_DOCS=1
// ctest -R kill_writes` rewrites it (kill outcomes vary with timing, so it is not compared).
#include <H5Cpp.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include "dotakv/auto_policy.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/digits/session.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/train/trainer.hpp"
#include "test_support.hpp"

using namespace dotakv;
namespace fs = std::filesystem;

namespace {

std::string read_bytes(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
void write_bytes(const std::string& p, const std::string& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << b;
}

// One child run: the CLI with `args`, or `in_child` in a forked copy of this process.
struct Spawn {
  std::vector<std::string> args;
  std::function<void()> in_child;
  rlim_t fsize = RLIM_INFINITY;  // RLIMIT_FSIZE
  bool ignore_xfsz = false;      // SIGXFSZ ignored: the write fails with EFBIG instead
  bool as_nobody = false;        // drop root to 65534 before exec
  int kill_after_us = -1;        // SIGKILL after this long (-1: never)
};
struct Outcome {
  int signal = 0;      // the signal that ended it (0: exited)
  int exit_code = -1;  // when it exited
  std::string err;
  double seconds = 0;
};

// A check that fails the current writer (caught by its test slot).
[[noreturn]] void fail(const char* format, ...) __attribute__((format(printf, 1, 2)));
void fail(const char* format, ...) {
  char buf[8192];
  va_list ap;
  va_start(ap, format);
  std::vsnprintf(buf, sizeof buf, format, ap);
  va_end(ap);
  throw std::runtime_error(buf);
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

Spawn cli(std::vector<std::string> a) {
  Spawn s;
  s.args = std::move(a);
  return s;
}

Outcome spawn(const Spawn& s) {
  int pipefd[2];
  if (pipe(pipefd) != 0) fail("pipe");
  std::vector<std::string> argv_s{DOTAKV_CLI_PATH};
  argv_s.insert(argv_s.end(), s.args.begin(), s.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(pipefd[1], 2);
    close(pipefd[0]);
    rlimit core{0, 0};
    setrlimit(RLIMIT_CORE, &core);
    signal(SIGXFSZ, s.ignore_xfsz ? SIG_IGN : SIG_DFL);
    if (s.as_nobody && geteuid() == 0) {
      if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(126);
    }
    if (s.fsize != RLIM_INFINITY) {
      rlimit r{s.fsize, s.fsize};
      setrlimit(RLIMIT_FSIZE, &r);
    }
    if (s.in_child) {
      try {
        s.in_child();
      } catch (const std::exception& e) {
        const std::string m = std::string("dotakv: error: ") + e.what() + "\n";
        (void)!write(2, m.data(), m.size());
        _exit(1);
      }
      _exit(0);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  Outcome o;
  const auto deadline = t0 + std::chrono::microseconds(s.kill_after_us);
  bool killed = false;
  char buf[4096];
  for (;;) {
    int timeout_ms = -1;
    if (s.kill_after_us >= 0 && !killed) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) {
        kill(pid, SIGKILL);
        killed = true;
      } else {
        timeout_ms = int((left + 999) / 1000);
        if (left < 2000) {  // sub-millisecond precision for the last stretch
          usleep(useconds_t(left));
          kill(pid, SIGKILL);
          killed = true;
          timeout_ms = -1;
        }
      }
    }
    pollfd p{pipefd[0], POLLIN, 0};
    const int r = poll(&p, 1, timeout_ms);
    if (r > 0) {
      const ssize_t n = read(pipefd[0], buf, sizeof buf);
      if (n <= 0) break;
      o.err.append(buf, std::size_t(n));
    }
  }
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (WIFSIGNALED(status))
    o.signal = WTERMSIG(status);
  else
    o.exit_code = WEXITSTATUS(status);
  return o;
}

// Temporary files (`<name>.tmp-<pid>`, see atomic_file.hpp) anywhere under dir.
std::vector<std::string> temporaries(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().filename().string().find(".tmp-") != std::string::npos)
      out.push_back(fs::relative(it->path(), dir).string());
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// A writer: what to prepare, how to run it on a directory, which outputs it writes and how
// each output is loaded (throws when it does not load).
struct Writer {
  std::string name;                                     // matrix row
  std::string command;                                  // shown in the docs
  std::function<void(const std::string& dir)> prepare;  // inputs and the old outputs
  std::function<Spawn(const std::string& dir)> run;
  std::vector<std::string> outputs;  // relative to dir
  std::function<void(const std::string& path)> load;
  std::function<void(const std::string& dir)> reset;  // extra state to clear between kills
  std::function<void(const std::string& dir, const std::string& ref_dir)> same_as_reference;
};

struct Row {
  std::string writer, mode;
  int points = 0, killed = 0, completed = 0, refused = 0, kept_old = 0, new_complete = 0,
      temps_left = 0, reruns_ok = 0;
  std::string note;
};

struct ErrorRow {
  std::string writer, mode, result;
};

void load_html(const std::string& p) {
  const std::string b = read_bytes(p);
  if (b.size() < 20 || b.substr(b.size() - 15) != "</body></html>\n")
    throw Error(p + ": not a complete HTML report");
}

}  // namespace

class TestKillWrites : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::vector<Row> rows_;
  std::vector<ErrorRow> errors_;
  std::string root_;
  bool tmpfs_ok_ = false;
  std::string tmpfs_note_;

  std::string path(const std::string& rel) const { return root_ + "/" + rel; }

  // The outputs' bytes as they are now (absent: not in the map).
  std::map<std::string, std::string> snapshot(const Writer& w, const std::string& dir) {
    std::map<std::string, std::string> s;
    for (const auto& o : w.outputs)
      if (fs::exists(dir + "/" + o)) s[o] = read_bytes(dir + "/" + o);
    return s;
  }
  void restore(const Writer& w, const std::string& dir,
               const std::map<std::string, std::string>& old) {
    for (const auto& o : w.outputs) {
      const auto it = old.find(o);
      if (it == old.end())
        fs::remove(dir + "/" + o);
      else if (!fs::exists(dir + "/" + o) || read_bytes(dir + "/" + o) != it->second)
        write_bytes(dir + "/" + o, it->second);
    }
    if (w.reset) w.reset(dir);
  }

  // After an interrupted or failed run: each output is the old one byte for byte, or absent
  // when there was none, or a complete new file that loads. Returns (kept old, new complete).
  std::pair<int, int> check_outputs(const Writer& w, const std::string& dir,
                                    const std::map<std::string, std::string>& old,
                                    const std::string& what, bool must_keep_old) {
    int kept = 0, fresh = 0;
    for (const auto& o : w.outputs) {
      const std::string p = dir + "/" + o;
      const auto it = old.find(o);
      if (!fs::exists(p)) {
        if (it != old.end())
          fail("%s: %s: old %s is gone", w.name.c_str(), what.c_str(), o.c_str());
        ++kept;
        continue;
      }
      if (it != old.end() && read_bytes(p) == it->second) {
        ++kept;
        continue;
      }
      if (must_keep_old)
        fail("%s: %s: %s changed after a failed run", w.name.c_str(), what.c_str(), o.c_str());
      try {
        w.load(p);
      } catch (const std::exception& e) {
        fail("%s: %s: %s is a partial file: %s", w.name.c_str(), what.c_str(), o.c_str(), e.what());
      }
      ++fresh;
    }
    return {kept, fresh};
  }

  void rerun_completes(const Writer& w, const std::string& dir, const std::string& ref_dir,
                       const std::string& what) {
    const Outcome r = spawn(w.run(dir));
    check(r.signal == 0 && r.exit_code == 0, w.name + ": re-run after " + what + ": " + r.err);
    for (const auto& o : w.outputs) {
      const std::string p = dir + "/" + o;
      check(fs::exists(p), p + " missing after re-run");
      try {
        w.load(p);
      } catch (const std::exception& e) {
        fail("%s: re-run output: %s", w.name.c_str(), e.what());
      }
    }
    check(temporaries(dir).empty(),
          w.name + ": temporaries left after re-run (" + what + "): " + join(temporaries(dir)));
    if (w.same_as_reference) w.same_as_reference(dir, ref_dir);
  }

  // One line `dotakv: error: ...` naming an output (or its directory), exit 1.
  std::string expect_clean_error(const Writer& w, const Outcome& r, const std::string& dir,
                                 const std::string& what) {
    std::string e = r.err;
    while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
    // progress lines end with \r or \n before the error starts its own line
    const auto nl = e.rfind('\n');
    const std::string last = nl == std::string::npos ? e : e.substr(nl + 1);
    const std::string ctx = w.name + " (" + what + "): signal " + std::to_string(r.signal) +
                            ", exit " + std::to_string(r.exit_code) + ", stderr: " + r.err;
    if (r.signal != 0 || r.exit_code != 1) fail("%s", ctx.c_str());
    if (last.rfind("dotakv: error: ", 0) != 0) fail("no error line: %s", ctx.c_str());
    if (e.find("H5") != std::string::npos && e.find("#000") != std::string::npos)
      fail("HDF5 stack dump: %s", ctx.c_str());
    // the only line besides progress (\r-terminated) lines
    std::string rest = nl == std::string::npos ? "" : e.substr(0, nl);
    std::istringstream ls(rest);
    for (std::string l; std::getline(ls, l);)
      if (!l.empty() && l.find('\r') == std::string::npos && l.rfind("epoch ", 0) != 0)
        fail("extra stderr line '%s': %s", l.c_str(), ctx.c_str());
    bool names = false;
    for (const auto& o : w.outputs)
      names = names || last.find(fs::path(o).filename().string()) != std::string::npos;
    names = names || last.find(dir) != std::string::npos;
    if (!names) fail("error does not name the output: %s", ctx.c_str());
    return last.substr(15);
  }

  void exercise(const Writer& w, int kills) {
    try {
      exercise_or_throw(w, kills);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

  void exercise_or_throw(const Writer& w, int kills) {
    std::string slug = w.name;
    for (char& ch : slug)
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    const std::string dir = path(slug), ref_dir = path(slug + "_ref");
    fs::create_directories(dir);
    w.prepare(dir);
    const auto old = snapshot(w, dir);
    // uninterrupted reference run, in a copy
    fs::copy(dir, ref_dir, fs::copy_options::recursive);
    const Outcome ref = spawn(w.run(ref_dir));
    check(ref.signal == 0 && ref.exit_code == 0, ref.err);
    std::uintmax_t max_size = 0;
    for (const auto& o : w.outputs) {
      check(fs::exists(ref_dir + "/" + o), o.c_str());
      w.load(ref_dir + "/" + o);
      max_size = std::max(max_size, fs::file_size(ref_dir + "/" + o));
    }
    const double T = ref.seconds;
    std::mt19937 rng(19u + unsigned(std::hash<std::string>()(w.name) & 0xffff));

    for (int mode = 0; mode < 2; ++mode) {
      Row row;
      row.writer = w.name;
      row.mode = mode == 0 ? "SIGKILL at random times" : "killed at N bytes (RLIMIT_FSIZE)";
      row.points = kills;
      for (int k = 0; k < kills; ++k) {
        restore(w, dir, old);
        Spawn s = w.run(dir);
        std::string what;
        if (mode == 0) {
          s.kill_after_us = int(std::uniform_real_distribution<double>(0.0, 1.1 * T)(rng) * 1e6);
          what = "SIGKILL at " + std::to_string(s.kill_after_us) + " us";
        } else {
          s.fsize = rlim_t(std::max<std::uintmax_t>(
              1, max_size * std::uintmax_t(k + 1) / std::uintmax_t(kills + 1)));
          // off page boundaries
          s.fsize += std::uniform_int_distribution<std::uintmax_t>(
              0, std::min<std::uintmax_t>(4095, max_size / std::uintmax_t(2 * kills + 2)))(rng);
          what = "RLIMIT_FSIZE " + std::to_string(s.fsize);
        }
        const Outcome r = spawn(s);
        if (r.signal == SIGKILL || r.signal == SIGXFSZ)
          ++row.killed;
        else if (r.signal == 0 && r.exit_code == 0)
          ++row.completed;
        else if (r.signal == 0 && r.exit_code == 1 &&
                 r.err.find("dotakv: error: ") != std::string::npos)
          ++row.refused;  // e.g. the dataset's room check saw the file-size limit
        else
          fail("%s: %s: unexpected end: signal %d exit %d: %s", w.name.c_str(), what.c_str(),
               r.signal, r.exit_code, r.err.c_str());
        const auto [kept, fresh] = check_outputs(w, dir, old, what, false);
        row.kept_old += kept;
        row.new_complete += fresh;
        row.temps_left += int(temporaries(dir).size());
        // a re-run (for a resumable writer: on what the kill left) completes
        rerun_completes(w, dir, ref_dir, what);
        ++row.reruns_ok;
      }
      rows_.push_back(row);
    }

    // disk full: the file-size limit with SIGXFSZ ignored (write fails with EFBIG)
    {
      restore(w, dir, old);
      Spawn s = w.run(dir);
      s.fsize = rlim_t(max_size / 2);
      s.ignore_xfsz = true;
      const Outcome r = spawn(s);
      const std::string msg = expect_clean_error(w, r, dir, "EFBIG");
      check_outputs(w, dir, old, "EFBIG", false);
      check(temporaries(dir).empty(), w.name + ": EFBIG left " + join(temporaries(dir)));
      errors_.push_back({w.name, "file-size limit, SIGXFSZ ignored (EFBIG)", msg});
    }
    // disk full: a tmpfs with room for the old files and half the new output
    if (tmpfs_ok_) {
      restore(w, dir, old);
      const std::string tdir = dir + "_tmpfs";
      fs::create_directories(tdir);
      check(mount("tmpfs", tdir.c_str(), "tmpfs", 0, "size=64m") == 0, "mount tmpfs " + tdir);
      struct Unmount {
        std::string d;
        ~Unmount() { umount(d.c_str()); }
      } unmount{tdir};
      fs::copy(dir, tdir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      // shrink it to what the old files use plus half the new output
      struct statvfs st {};
      statvfs(tdir.c_str(), &st);
      const std::uintmax_t used = std::uintmax_t(st.f_blocks - st.f_bfree) * st.f_frsize;
      const std::string opts = "size=" + std::to_string(used + max_size / 2 / 4096 * 4096);
      check(mount("tmpfs", tdir.c_str(), "tmpfs", MS_REMOUNT, opts.c_str()) == 0,
            "remount tmpfs " + opts);
      const auto old_t = snapshot(w, tdir);
      const Outcome r = spawn(w.run(tdir));
      const std::string msg = expect_clean_error(w, r, tdir, "ENOSPC");
      check_outputs(w, tdir, old_t, "ENOSPC", false);
      const auto left = temporaries(tdir);
      check(left.empty(), w.name + ": ENOSPC left " + join(left));
      errors_.push_back({w.name, "tmpfs full (ENOSPC)", msg});
    }
    // read-only directory: root dropped to nobody, the directory 0555
    {
      restore(w, dir, old);
      chmod(dir.c_str(), 0555);
      Spawn s = w.run(dir);
      s.as_nobody = true;
      const Outcome r = spawn(s);
      chmod(dir.c_str(), 0755);
      const std::string msg = expect_clean_error(w, r, dir, "read-only");
      check_outputs(w, dir, old, "read-only", true);
      check(temporaries(dir).empty(), w.name + ": read-only run left " + join(temporaries(dir)));
      errors_.push_back({w.name, "read-only directory (uid nobody, 0555)", msg});
    }
  }

  Writer dataset_writer() {
    Writer w;
    w.name = "dataset";
    w.command = "dotakv dataset --n 5 (old: --n 2, same seed)";
    auto args = [](const std::string& dir, int n) {
      return std::vector<std::string>{
          "dataset",     "--n",     std::to_string(n), "--energies",  "70:100",
          "--primaries", "300",     "--seed",          "5",           "--threads",
          "1",           "--quiet", "--out",           dir + "/ds.h5"};
    };
    w.prepare = [=, this](const std::string& dir) {
      const Outcome r = spawn(cli(args(dir, 2)));
      if (r.exit_code != 0) fail("dataset old: %s", r.err.c_str());
    };
    w.run = [=, this](const std::string& dir) { return cli(args(dir, 5)); };
    w.outputs = {"ds.h5"};
    w.load = [](const std::string& p) {
      const auto info = physics::dataset_info(p);
      for (int i = 0; i < info.n; ++i) (void)physics::read_dataset_sample(p, i);
    };
    w.reset = [](const std::string& dir) { fs::remove_all(dir + "/ds.h5.parts"); };
    w.same_as_reference = [](const std::string& dir, const std::string& ref) {
      const auto a = physics::dataset_info(dir + "/ds.h5"),
                 b = physics::dataset_info(ref + "/ds.h5");
      check(a.n == b.n, "dataset: sample count differs from the uninterrupted run");
      for (int i = 0; i < a.n; ++i) {
        const Case x = physics::read_dataset_sample(dir + "/ds.h5", i);
        const Case y = physics::read_dataset_sample(ref + "/ds.h5", i);
        check(x.energy_mev == y.energy_mev,
              "dataset: energy of sample " + std::to_string(i) + " differs");
        check(x.ct.data == y.ct.data,
              "dataset: CT of sample " + std::to_string(i) + " differs from the uninterrupted run");
        check(
            x.doses.at("mc").volume.data == y.doses.at("mc").volume.data,
            "dataset: dose of sample " + std::to_string(i) + " differs from the uninterrupted run");
      }
    };
    return w;
  }

  Writer train_writer() {
    Writer w;
    w.name = "train";
    w.command = "dotakv train --resume --epochs 3 (old: --epochs 1)";
    const std::string data = path("train_data.h5"), cfg = path("tiny.json");
    auto args = [=, this](const std::string& dir, int epochs, bool resume) {
      std::vector<std::string> a{"train",
                                 "--data",
                                 data,
                                 "--config",
                                 cfg,
                                 "--out",
                                 dir + "/tr",
                                 "--epochs",
                                 std::to_string(epochs),
                                 "--batch",
                                 "4",
                                 "--threads",
                                 "1",
                                 "--seed",
                                 "7",
                                 "--val-fraction",
                                 "0.25",
                                 "--quiet"};
      if (resume) a.push_back("--resume");
      return a;
    };
    w.prepare = [=, this](const std::string& dir) {
      const Outcome r = spawn(cli(args(dir, 1, false)));
      if (r.exit_code != 0) fail("train old: %s", r.err.c_str());
    };
    w.run = [=, this](const std::string& dir) { return cli(args(dir, 3, true)); };
    w.outputs = {"tr/last.h5", "tr/best.h5", "tr/model.h5", "tr/history.csv", "tr/history.h5"};
    w.load = [](const std::string& p) {
      const std::string f = fs::path(p).filename().string();
      if (f == "model.h5") {
        (void)Model::load(p);
      } else if (f == "history.csv") {
        const std::string b = read_bytes(p);
        if (b.empty() || b.back() != '\n' || b.rfind("epoch", 0) != 0)
          throw Error(p + ": incomplete history");
      } else if (f == "history.h5") {
        H5::Exception::dontPrint();
        try {
          H5::H5File h(p, H5F_ACC_RDONLY);
          if (h.getNumObjs() == 0) throw Error(p + ": empty history");
        } catch (const H5::Exception& e) {
          throw Error(p + ": " + e.getDetailMsg());
        }
      } else {
        (void)train::load_checkpoint(p);
      }
    };
    return w;
  }

  // A case file written by `dotakv infer --out` / `dose` / the studio's save.
  static void load_case_file(const std::string& p) { (void)load_case(p); }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    root_ = tmp_.path().toStdString();
    H5::Exception::dontPrint();
    chmod(root_.c_str(), 0755);  // the read-only runs drop to nobody, who must reach the inputs
    // tiny inputs: an 8^3 training set and model config, a slab phantom with MC and PBA doses
    physics::DatasetOptions d;
    d.n = 8;
    d.slices = d.rows = d.cols = 8;
    d.energy_min = 70;
    d.energy_max = 90;
    d.primaries = 300;
    d.seed = 3;
    d.threads = 1;
    physics::generate_dataset(d, path("train_data.h5"));
    std::ofstream(path("tiny.json")) << R"({"num_slices": 8, "data_shape": [8, 8, 1],
      "num_tokens": 9, "kernel_size": 3, "num_heads": 2, "num_transformers": 2,
      "projection_dim": [2, 2, 4], "conv_channels": 16, "key_dim": 4, "causal": true})";
    for (auto a : std::vector<std::vector<std::string>>{
             {"phantom", "--kind", "slab", "--out", path("case.h5")},
             {"dose", "--engine", "mc", "--ct", path("case.h5"), "--primaries", "2000", "--threads",
              "1", "--quiet"},
             {"dose", "--engine", "pba", "--ct", path("case.h5"), "--threads", "1", "--quiet"}}) {
      const Outcome r = spawn(cli(a));
      QVERIFY2(r.exit_code == 0, r.err.c_str());
    }
    // can this process mount a small tmpfs (root in a container may not)?
    const std::string probe = path("tmpfs_probe");
    fs::create_directories(probe);
    if (mount("tmpfs", probe.c_str(), "tmpfs", 0, "size=64k") == 0) {
      tmpfs_ok_ = true;
      umount(probe.c_str());
    } else {
      tmpfs_note_ = std::string("mount -t tmpfs failed: ") + strerror(errno);
    }
  }

  void dataset() { exercise(dataset_writer(), 8); }

  void train() { exercise(train_writer(), 8); }

  void inferOut() {
    Writer w;
    w.name = "infer";
    w.command = "dotakv infer --out (old: a case without the DoTA dose)";
    const std::string model = test::source_path("resources/models/dotakv-compact.h5");
    w.prepare = [=, this](const std::string& dir) {
      fs::copy_file(path("case.h5"), dir + "/out.h5");
    };
    w.run = [=, this](const std::string& dir) {
      return cli({"infer", "--model", model, "--ct", path("case.h5"), "--out", dir + "/out.h5",
                  "--threads", "1"});
    };
    w.outputs = {"out.h5"};
    w.load = load_case_file;
    exercise(w, 8);
  }

  void dose() {
    Writer w;
    w.name = "dose";
    w.command = "dotakv dose --engine mc (in place, into --ct)";
    w.prepare = [=, this](const std::string& dir) {
      fs::copy_file(path("case.h5"), dir + "/case.h5");
    };
    w.run = [=, this](const std::string& dir) {
      return cli({"dose", "--engine", "mc", "--ct", dir + "/case.h5", "--name", "mc2",
                  "--primaries", "20000", "--threads", "1", "--quiet"});
    };
    w.outputs = {"case.h5"};
    w.load = load_case_file;
    exercise(w, 8);
  }

  void report() {
    Writer w;
    w.name = "report";
    w.command = "dotakv report --case --html";
    w.prepare = [=, this](const std::string& dir) {
      write_bytes(dir + "/r.html", "<html>old</body></html>\n");
    };
    w.run = [=, this](const std::string& dir) {
      return cli({"report", "--case", path("case.h5"), "--html", dir + "/r.html"});
    };
    w.outputs = {"r.html"};
    w.load = load_html;
    exercise(w, 8);
  }

  void calibrate() {
    Writer w;
    w.name = "calibrate";
    w.command = "dotakv calibrate --out (tiny config)";
    auto args = [=, this](const std::string& dir, const std::string& batch) {
      return std::vector<std::string>{
          "calibrate", "--config", path("tiny.json"), "--batch", batch,   "--chunk",           "1",
          "--reps",    "1",        "--threads",       "1",       "--out", dir + "/policy.json"};
    };
    w.prepare = [=, this](const std::string& dir) {
      const Outcome r = spawn(cli(args(dir, "1")));
      if (r.exit_code != 0) fail("calibrate old: %s", r.err.c_str());
    };
    w.run = [=, this](const std::string& dir) { return cli(args(dir, "1,2")); };
    w.outputs = {"policy.json"};
    w.load = [](const std::string& p) { (void)bench::AutoPolicy::load(p); };
    exercise(w, 6);
  }

  void digitsCalibrate() {
    Writer w;
    w.name = "calibrate --family digits";
    w.command = "dotakv calibrate --family digits --out";
    auto args = [=, this](const std::string& dir, const std::string& batch) {
      return std::vector<std::string>{"calibrate",
                                      "--family",
                                      "digits",
                                      "--reps",
                                      "1",
                                      "--batch",
                                      batch,
                                      "--threads",
                                      "1",
                                      "--out",
                                      dir + "/digits_policy.json"};
    };
    w.prepare = [=, this](const std::string& dir) {
      const Outcome r = spawn(cli(args(dir, "1")));
      if (r.exit_code != 0) fail("digits calibrate old: %s", r.err.c_str());
    };
    w.run = [=, this](const std::string& dir) { return cli(args(dir, "1,2")); };
    w.outputs = {"digits_policy.json"};
    w.load = [](const std::string& p) { (void)digits::load_calibration(p); };
    exercise(w, 6);
  }

  // The studio's "Save case as" (MainWindow::saveAs) needs a window; it calls core save_case,
  // exercised here in a forked child with a case the studio could hold (CT + three doses).
  void studioSave() {
    Writer w;
    w.name = "studio save (save_case)";
    w.command = "save_case() as MainWindow::saveAs calls it, in a forked child";
    Case c = load_case(path("case.h5"));
    Dose extra = c.doses.begin()->second;
    for (auto& v : extra.volume.data) v *= 2;
    c.doses["edited"] = extra;
    w.prepare = [=, this](const std::string& dir) {
      fs::copy_file(path("case.h5"), dir + "/saved.h5");
    };
    w.run = [c](const std::string& dir) {
      Spawn s;
      s.in_child = [c, dir] { save_case(c, dir + "/saved.h5"); };
      return s;
    };
    w.outputs = {"saved.h5"};
    w.load = load_case_file;
    exercise(w, 8);
  }

  void cleanupTestCase() {
    std::ostringstream t;
    t << "| writer | kill mode | kill points | killed | ran to completion | refused (exit 1) | "
         "outputs kept old | "
         "outputs new and complete | temporaries left by the kill | re-runs completed |\n"
         "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : rows_)
      t << "| " << r.writer << " | " << r.mode << " | " << r.points << " | " << r.killed << " | "
        << r.completed << " | " << r.refused << " | " << r.kept_old << " | " << r.new_complete
        << " | " << r.temps_left << " | " << r.reruns_ok << "/" << r.points << " |\n";
    t << "\n| writer | failure | message (after `dotakv: error: `; exit 1, old file intact, no "
         "temporary left) |\n|---|---|---|\n";
    for (const auto& e : errors_) {
      std::string m = e.result;
      for (std::size_t p; (p = m.find(root_)) != std::string::npos;)
        m.replace(p, root_.size(), "$T");
      for (std::size_t p; (p = m.find('|')) != std::string::npos;) m.replace(p, 1, "\\|");
      t << "| " << e.writer << " | " << e.mode << " | `" << m << "` |\n";
    }
    if (!tmpfs_ok_) t << "\ntmpfs runs skipped: " << tmpfs_note_ << "\n";
    qInfo("%s", t.str().c_str());
    if (qgetenv("DOTAKV_UPDATE_DOCS") == "1") {
      const std::string doc = test::source_path("docs/kill_safety.md");
      std::string text = read_bytes(doc);
      const std::string b = "<!-- BEGIN generated by tests/unit/test_kill_writes.cpp -->\n",
                        e = "<!-- END generated -->";
      const auto i = text.find(b), j = text.find(e);
      QVERIFY2(i != std::string::npos && j != std::string::npos, "markers in docs/kill_safety.md");
      text = text.substr(0, i + b.size()) + t.str() + text.substr(j);
      write_bytes(doc, text);
    }
  }
};

QTEST_GUILESS_MAIN(TestKillWrites)
#include "test_kill_writes.moc"
