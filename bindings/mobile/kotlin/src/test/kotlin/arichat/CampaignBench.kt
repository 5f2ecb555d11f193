package arichat

import java.io.File
import java.lang.management.ManagementFactory
import java.time.Instant
import org.junit.jupiter.api.Tag
import kotlin.test.Test
import kotlin.test.assertEquals
import io.github.arichat.AssignmentCache
import io.github.arichat.AssignmentStore
import io.github.arichat.CampaignBundle
import io.github.arichat.CampaignCustomer
import io.github.arichat.campaignBucket
import io.github.arichat.core.Value

/**
 * One customer's evaluation on the device, from Kotlin on the JVM, with the 50 campaigns of
 * the Rust benchmark: percentiles of `CampaignBundle.assign` (the attributes map in, the
 * assignments out, through JNA), of `AssignmentCache.assignments` served from an in-memory
 * store, and of `campaignBucket` (two strings in, a number out: what any call costs).
 * Each call is timed by the wall clock and by the thread's CPU clock: on a loaded machine
 * the wall tail is other processes preempting this one, the CPU tail is the work.
 * Tagged `bench`: `mvn test` skips it; `bindings/mobile/bench.sh` runs it against the
 * release library. Prints figures, asserts no time.
 */
@Tag("bench")
class CampaignBench {
    private class MemoryStore : AssignmentStore {
        val entries = HashMap<String, String>()
        override fun load(customerId: String): String? = entries[customerId]
        override fun save(customerId: String, json: String) { entries[customerId] = json }
        override fun remove(customerId: String) { entries.remove(customerId) }
    }

    private val threads = ManagementFactory.getThreadMXBean()

    private fun prop(name: String) =
        System.getProperty(name)?.takeIf { it.isNotEmpty() } ?: error("$name not set (run bindings/mobile/bench.sh)")

    private fun LongArray.at(p: Double) = this[minOf((size * p).toInt(), size - 1)] / 1000.0

    /** Times `calls` calls of `f` over the customers in turn; prints wall and CPU percentiles. */
    private fun measure(
        label: String,
        calls: Int,
        customers: List<Pair<String, Map<String, Value>>>,
        f: (String, Map<String, Value>) -> Int,
    ) {
        val wall = LongArray(calls)
        val cpu = LongArray(calls)
        var sink = 0
        for (i in 0 until calls) {
            val (id, attrs) = customers[i % customers.size]
            val c = threads.currentThreadCpuTime
            val t = System.nanoTime()
            sink += f(id, attrs)
            wall[i] = System.nanoTime() - t
            cpu[i] = threads.currentThreadCpuTime - c
        }
        check(sink >= 0)
        wall.sort()
        cpu.sort()
        println(
            "%-28s wall p50 %6.1f µs  p99 %7.1f µs  p99.9 %8.1f µs | thread CPU p50 %6.1f µs  p99 %6.1f µs  p99.9 %7.1f µs".format(
                label, wall.at(0.5), wall.at(0.99), wall.at(0.999), cpu.at(0.5), cpu.at(0.99), cpu.at(0.999),
            ),
        )
    }

    @Test
    fun oneEvaluationWithFiftyCampaigns() {
        val bundle = CampaignBundle.fromJson(File(prop("arichat.bench.bundle")).readText())
        val data = File(prop("arichat.bench.data"))
        val customers = readBankCsv(data, limit = 20_000).toList()
        val now = Instant.parse("2026-12-03T08:00:00Z")
        val calls = (System.getProperty("arichat.bench.calls") ?: "100000").toInt()
        val rounds = (System.getProperty("arichat.bench.rounds") ?: "3").toInt()
        check(threads.isCurrentThreadCpuTimeSupported)
        threads.isThreadCpuTimeEnabled = true
        val cache = AssignmentCache(bundle, MemoryStore())
        val few = customers.take(1_000)
        for ((id, attrs) in few) cache.assignments(id, attrs, now)
        // Customers handed to Rust once, as an app does when it loads a profile; the time as
        // epoch milliseconds. Looked up by id so both paths see the same sequence.
        val byId = customers.associate { (id, attrs) -> id to CampaignCustomer(id, attrs) }
        val nowMs = now.toEpochMilli()
        assertEquals(
            bundle.assign(few[0].first, few[0].second, now),
            bundle.assignCustomer(byId.getValue(few[0].first), nowMs),
        )
        assertEquals(
            bundle.assign(few[0].first, few[0].second, now).map { it.campaignId },
            cache.assignments(few[0].first, few[0].second, now).map { it.campaignId },
        )
        println(
            "${customers.size} customers of $data (${customers[0].second.size} attributes each), " +
                "bundle ${bundle.version()} (50 campaigns), $calls calls per line",
        )
        for (round in 0..rounds) {
            // Round 0 is the warm-up (JIT, JNA's method lookups), printed but not counted.
            println(if (round == 0) "warm-up" else "round $round")
            measure("campaignBucket (FFI floor)", calls, customers) { id, _ -> campaignBucket("seed", id).toInt() }
            measure("CampaignBundle.assign", calls, customers) { id, attrs -> bundle.assign(id, attrs, now).size }
            measure("AssignmentCache (stored)", calls, few) { id, attrs -> cache.assignments(id, attrs, now).size }
            measure("assignCustomer (prepared)", calls, customers) { id, _ ->
                bundle.assignCustomer(byId.getValue(id), nowMs).size
            }
            measure("customerAssignments (stored)", calls, few) { id, _ ->
                cache.customerAssignments(byId.getValue(id), nowMs).size
            }
        }
    }
}
