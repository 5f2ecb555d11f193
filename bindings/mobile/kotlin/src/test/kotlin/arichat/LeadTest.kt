package arichat

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotSame
import kotlin.test.assertTrue
import io.github.arichat.Lead
import io.github.arichat.core.ChangeCause
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.LeadStatus
import io.github.arichat.core.LifecycleStage
import io.github.arichat.core.Transition

/** Tests of `Lead` (bindings/mobile/src/lead.rs). */
class LeadTest {
    @Test
    fun leadLifecycleRoundTrip() {
        val lead = newLead()
        assertEquals("lead-1", lead.id())
        assertEquals("acme", lead.tenantId())
        assertEquals(LeadStatus.UNATTENDED, lead.status())
        assertEquals(LifecycleStage.IQL, lead.stage())
        assertEquals(t0, lead.createdAt())

        val t1 = t0.plusSeconds(60).plusNanos(123_456_789)
        val change = lead.setStatus(LeadStatus.INTERESTED, ChangeCause.INTENT, "asked for a quote", t1)
        assertEquals(Transition.Status(LeadStatus.UNATTENDED, LeadStatus.INTERESTED), change.transition)
        assertEquals(t1, change.at)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(t1, lead.updatedAt())

        lead.setStage(LifecycleStage.MQL, ChangeCause.RULE, "score 55 >= 50", t1)
        val history = lead.history()
        assertEquals(2, history.size)
        assertEquals(change, history[0])
        assertEquals(Transition.Stage(LifecycleStage.IQL, LifecycleStage.MQL), history[1].transition)
        assertEquals(ChangeCause.RULE, history[1].cause)
        assertEquals("score 55 >= 50", history[1].reason)

        val json = lead.toJson()
        assertTrue(json.contains("\"created_at\":\"2026-01-05T14:00:00Z\""), json)
        Lead.fromJson(json).use { copy ->
            assertNotSame(lead, copy)
            assertEquals(lead, copy)
            assertEquals(json, copy.toJson())
            assertEquals(history, copy.history())
            assertEquals(LifecycleStage.MQL, copy.stage())
        }
    }

    @Test
    fun illegalTransitionRaisesAndChangesNothing() {
        val lead = newLead()
        lead.setStatus(LeadStatus.INTERESTED, ChangeCause.AGENT, "", t0)
        val before = lead.toJson()

        val err = coreError(ErrorCode.ILLEGAL_STATUS_TRANSITION) {
            lead.setStatus(LeadStatus.UNATTENDED, ChangeCause.AGENT, "oops", t0.plusSeconds(1))
        }
        assertEquals("illegal lead status transition from interested to unattended", err.msg)
        assertEquals(LeadStatus.INTERESTED, lead.status())
        assertEquals(1, lead.history().size)
        assertEquals(before, lead.toJson())

        coreError(ErrorCode.ILLEGAL_STAGE_TRANSITION) {
            lead.setStage(LifecycleStage.IQL, ChangeCause.AGENT, "", t0)
        }
        lead.setStatus(LeadStatus.LOST, ChangeCause.INTENT, "opt_out", t0)
        val reopen = coreError(ErrorCode.AGENT_REQUIRED) {
            lead.setStatus(LeadStatus.NEGOTIATING, ChangeCause.RULE, "score", t0)
        }
        assertEquals("lead is lost: only an agent can move it to negotiating", reopen.msg)
        assertEquals(LeadStatus.LOST, lead.status())
    }

    @Test
    fun leadIsSafeToShareAcrossThreads() {
        val lead = newLead()
        lead.setStage(LifecycleStage.MQL, ChangeCause.RULE, "", t0)
        val pool = Executors.newFixedThreadPool(4)
        val results = (1..200).map { i ->
            pool.submit<Boolean> {
                // Only one of the concurrent moves to SQL can succeed.
                runCatching { lead.setStage(LifecycleStage.SQL, ChangeCause.RULE, "r$i", t0) }.isSuccess
            }
        }.map { it.get() }
        pool.shutdown()
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS))
        assertEquals(1, results.count { it })
        assertEquals(LifecycleStage.SQL, lead.stage())
        assertEquals(2, lead.history().size)
    }
}
