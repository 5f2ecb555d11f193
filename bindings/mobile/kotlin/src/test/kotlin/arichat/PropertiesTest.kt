package arichat

import java.lang.reflect.Modifier
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import io.github.arichat.AssignmentCache
import io.github.arichat.AssignmentStore
import io.github.arichat.CampaignBundle
import io.github.arichat.CampaignCustomer
import io.github.arichat.ContactBook
import io.github.arichat.Lead
import io.github.arichat.ProfileSet
import io.github.arichat.Scorecard
import io.github.arichat.bundle
import io.github.arichat.contactId
import io.github.arichat.createdAt
import io.github.arichat.history
import io.github.arichat.id
import io.github.arichat.size
import io.github.arichat.stage
import io.github.arichat.status
import io.github.arichat.tenantId
import io.github.arichat.updatedAt
import io.github.arichat.version
import io.github.arichat.core.ChangeCause
import io.github.arichat.core.LeadStatus
import io.github.arichat.core.LifecycleStage

/** The Kotlin properties of Properties.kt: they read what the functions read, and none is missing. */
class PropertiesTest {
    @Test
    fun propertiesReadTheObjects() {
        val lead = newLead()
        lead.setStatus(LeadStatus.INTERESTED, ChangeCause.AGENT, "asked", t0)
        assertEquals("lead-1", lead.id)
        assertEquals("acme", lead.tenantId)
        assertEquals("c-1", lead.contactId)
        assertEquals(LeadStatus.INTERESTED, lead.status)
        assertEquals(lead.stage(), lead.stage)
        assertEquals(t0, lead.createdAt)
        assertEquals(t0, lead.updatedAt)
        assertEquals(1, lead.history.size)

        assertEquals("c-9", CampaignCustomer("c-9", emptyMap()).id)
        val bundle = CampaignBundle.fromToml(repoFile("examples/campaigns/bank.toml").readText())
        assertTrue(bundle.version.isNotEmpty())
        val cache = AssignmentCache(bundle, object : AssignmentStore {
            override fun load(customerId: String): String? = null
            override fun save(customerId: String, json: String) {}
            override fun remove(customerId: String) {}
        })
        assertEquals(bundle.version, cache.bundle.version)
        assertEquals("acme", ContactBook("acme").tenantId)
        assertEquals(0UL, ProfileSet(null).size)
    }

    /** Functions that stay functions: conversions (`toJson`, `toToml`). */
    private val conversions = setOf("toJson", "toToml")

    @Test
    fun everyZeroArgumentQueryHasAProperty() {
        val properties = Class.forName("io.github.arichat.Properties")
        val objects = listOf(
            Lead::class.java, CampaignCustomer::class.java, CampaignBundle::class.java,
            AssignmentCache::class.java, ContactBook::class.java, ProfileSet::class.java, Scorecard::class.java,
        )
        val missing = mutableListOf<String>()
        for (cls in objects) {
            // The queries UniFFI generated from the crate's `&self` methods without arguments.
            val iface = cls.interfaces.single { it.simpleName == cls.simpleName + "Interface" }
            for (m in iface.declaredMethods) {
                if (m.parameterCount != 0 || m.returnType == Void.TYPE || m.name in conversions) continue
                if (Modifier.isStatic(m.modifiers)) continue
                // Kotlin mangles the JVM names of functions over inline classes (`size-s-VKNKU`
                // for a ULong): compare the names before the mangling.
                val name = m.name.substringBefore('-')
                val getter = "get" + name.replaceFirstChar { it.uppercase() }
                val found = properties.methods.any {
                    it.name.substringBefore('-') == getter && it.parameterTypes.contentEquals(arrayOf(cls))
                }
                if (!found) missing += "${cls.simpleName}.$name"
            }
        }
        assertEquals(emptyList(), missing, "add these to bindings/mobile/kotlin/src/main/kotlin/io/github/arichat/Properties.kt")
    }
}
