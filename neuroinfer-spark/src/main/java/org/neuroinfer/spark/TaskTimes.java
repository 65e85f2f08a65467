package org.neuroinfer.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.neuroinfer.numeric.OrderStatistics;

/**
 * The start and end of every task of the active Spark application, as its listener bus reports them, for telling
 * where a job's time goes: before the executors' first task, in each executor's first task (class loading and
 * compilation in a fresh JVM), and per task after that.
 */
final class TaskTimes extends SparkListener {
    /** One task: its executor, launch and finish (ms since the epoch), and its thread's CPU time (ns). */
    record Task(String executor, long launchMs, long finishMs, long cpuNanos) {
        double seconds() {
            return (finishMs - launchMs) / 1e3;
        }
    }

    /**
     * Where a job's time went.
     *
     * @param executors     executors that ran a task
     * @param beforeFirst   seconds from the job's start to the last executor's first task
     * @param firstTask     the mean duration of each executor's first task, in seconds
     * @param laterTask     the median duration of the tasks after each executor's first, in seconds (NaN if none)
     * @param laterTaskCpu  the median CPU time of the task's own thread in those tasks, in seconds (NaN if none)
     */
    record Summary(int executors, double beforeFirst, double firstTask, double laterTask, double laterTaskCpu) {
    }

    private final List<Task> tasks = new ArrayList<>();

    private TaskTimes() {
    }

    /** Listens to the active Spark application from now on. */
    static TaskTimes attach() {
        TaskTimes t = new TaskTimes();
        SparkContext.getOrCreate().addSparkListener(t);
        return t;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskInfo info = end.taskInfo();
        long cpu = end.taskMetrics() == null ? 0 : end.taskMetrics().executorCpuTime();
        synchronized (tasks) {
            tasks.add(new Task(info.executorId(), info.launchTime(), info.finishTime(), cpu));
            tasks.notifyAll();
        }
    }

    /** The tasks reported so far, once at least {@code n} have been (the bus reports after the job returns). */
    List<Task> await(int n, long timeoutMs) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMs;
        synchronized (tasks) {
            while (tasks.size() < n && System.currentTimeMillis() < until) {
                tasks.wait(Math.max(1, until - System.currentTimeMillis()));
            }
            return List.copyOf(tasks);
        }
    }

    /** Where the time of a job that started at {@code jobStartMs} went. */
    static Summary summarize(List<Task> tasks, long jobStartMs) {
        Map<String, List<Task>> byExecutor = new HashMap<>();
        for (Task t : tasks) {
            byExecutor.computeIfAbsent(t.executor(), k -> new ArrayList<>()).add(t);
        }
        double before = 0;
        double first = 0;
        List<Double> later = new ArrayList<>();
        List<Double> laterCpu = new ArrayList<>();
        for (List<Task> ts : byExecutor.values()) {
            ts.sort(java.util.Comparator.comparingLong(Task::launchMs));
            before = Math.max(before, (ts.get(0).launchMs() - jobStartMs) / 1e3);
            first += ts.get(0).seconds();
            for (Task t : ts.subList(1, ts.size())) {
                later.add(t.seconds());
                laterCpu.add(t.cpuNanos() / 1e9);
            }
        }
        return new Summary(byExecutor.size(), before, byExecutor.isEmpty() ? Double.NaN : first / byExecutor.size(),
                OrderStatistics.median(later.stream().mapToDouble(Double::doubleValue).toArray()),
                OrderStatistics.median(laterCpu.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
