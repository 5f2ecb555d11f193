package arichat

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import io.github.arichat.ArichatException
import io.github.arichat.InternalException
import io.github.arichat.Scorecard
import io.github.arichat.core.ContributionKind
import io.github.arichat.core.EngagementEvent
import io.github.arichat.core.EngagementKind
import io.github.arichat.core.ErrorCode
import io.github.arichat.core.Grade
import io.github.arichat.core.LifecycleStage

/** Tests of `Scorecard` (bindings/mobile/src/scoring.rs). */
class ScoringTest {
    @Test
    fun scorecardScoresARecordWithItsExplanation() {
        Scorecard.fromToml(card).use { sc ->
            val r = sc.score(record, events, now)
            assertEquals(45.0, r.fit)
            assertEquals(30.0, r.engagement)
            assertEquals(75.0, r.total)
            assertEquals(Grade.A, r.grade)
            assertEquals(LifecycleStage.MQL, r.stage)
            assertNull(r.probability)
            assertEquals(
                listOf(
                    Triple("base", ContributionKind.BASE, 10.0),
                    Triple("mid_size", ContributionKind.FIT, 40.0),
                    Triple("gmail", ContributionKind.FIT, -5.0),
                    Triple("asked_price", ContributionKind.ENGAGEMENT, 15.0),
                    Triple("wrote", ContributionKind.ENGAGEMENT, 15.0),
                ),
                r.contributions.map { Triple(it.rule, it.kind, it.points) },
            )
            assertEquals(listOf(0u, 0u, 0u, 1u, 2u), r.contributions.map { it.events })
            assertEquals("Free email", r.contributions[2].name)
            assertEquals(r.total, r.contributions.sumOf { it.points })

            // No events: fit only. JSON gives the same card.
            Scorecard.fromJson(sc.toJson()).use { again ->
                val fitOnly = again.score(record, emptyList(), now)
                assertEquals(45.0, fitOnly.total)
                assertEquals(Grade.C, fitOnly.grade)
                assertEquals(LifecycleStage.MQL, fitOnly.stage)
            }
            val empty = sc.score(emptyMap(), emptyList(), now)
            assertEquals(10.0, empty.total)
            assertEquals(Grade.D, empty.grade)
            assertEquals(LifecycleStage.IQL, empty.stage)
            coreError(ErrorCode.TIME_OUT_OF_RANGE) { sc.score(record, events, Instant.MAX) }
            // An event time lifts through the core's record, which cannot name this crate's
            // error: outside the core's range it is UniFFI's InternalException (README).
            val far = listOf(EngagementEvent(EngagementKind.INBOUND_MESSAGE, Instant.MAX))
            assertFailsWith<InternalException> { sc.score(record, far, now) }
        }
    }

    @Test
    fun badScorecardsRaiseTypedErrors() {
        val toml = coreError(ErrorCode.INVALID_SCORECARD) { Scorecard.fromToml("[[fit]\nid = ") }
        assertTrue(toml.msg.startsWith("invalid scorecard: cannot read scorecard toml: "), toml.msg)
        val dup = coreError(ErrorCode.INVALID_SCORECARD) {
            Scorecard.fromToml(
                "[[fit]]\nid = \"x\"\nfield = \"a\"\nequals = 1\npoints = 1\n" +
                    "[[fit]]\nid = \"x\"\nfield = \"b\"\nequals = 2\npoints = 1\n",
            )
        }
        assertEquals("invalid scorecard: duplicate rule id \"x\"", dup.msg)
        coreError(ErrorCode.INVALID_SCORECARD) { Scorecard.fromJson("{not json") }
    }
}
