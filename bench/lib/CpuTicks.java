package lib;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** CPU time from /proc, in clock ticks (1/100 s here), for benchmarks that say what each part of the machine used. */
public final class CpuTicks {

    private CpuTicks() {
    }

    /**
     * Ticks so far of the processes named in env WATCH ("name=pid,pid;name=pid"); the children of each pid count
     * too (nginx's and PostgreSQL's workers). Empty without WATCH.
     */
    public static Map<String, Long> watched() {
        Map<String, Long> ticks = new TreeMap<>();
        String watch = System.getenv("WATCH");
        if (watch == null || watch.isBlank()) {
            return ticks;
        }
        for (String group : watch.split(";")) {
            String[] nameAndPids = group.split("=", 2);
            long sum = 0;
            for (String pid : nameAndPids[1].split(",")) {
                sum += ProcessHandle.of(Long.parseLong(pid.trim())).map(h -> {
                    long t = ofProcess(h.pid());
                    for (ProcessHandle child : h.children().toList()) {
                        t += ofProcess(child.pid());
                    }
                    return t;
                }).orElse(0L);
            }
            ticks.put(nameAndPids[0], sum);
        }
        return ticks;
    }

    /** User + system ticks of one process so far; 0 when it is gone. */
    public static long ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * {JIT compiler threads, all threads} user + system ticks of one process so far (HotSpot names its compiler
     * threads "C1 CompilerThre..." and "C2 CompilerThre..."): whether the code measured was still being compiled.
     * {0, 0} when the process is gone.
     */
    public static long[] compilerAndAll(long pid) {
        long compiler = 0;
        long all = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    all += t;
                    if (name.contains("Compiler")) {
                        compiler += t;
                    }
                } catch (Exception gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (Exception e) {
            return new long[2];
        }
        return new long[] {compiler, all};
    }

    /** {all, busy (user+nice+system+irq+softirq), steal} ticks of the whole machine so far. */
    public static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long all = 0;
            for (int i = 1; i <= 8; i++) {
                all += Long.parseLong(f[i]);
            }
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new long[] {all, busy, Long.parseLong(f[8])};
        } catch (Exception e) {
            return new long[3];
        }
    }
}
