<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>BarChart</name>
        <message>
            <source>Hours chart</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n bar(s), %1 hours in all</source>
            <translation>
                <numerusform>%n bar, %1 hours in all</numerusform>
                <numerusform>%n bars, %1 hours in all</numerusform>
            </translation>
        </message>
        <message>
            <source>No hours</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ClientsDialog</name>
        <message>
            <source>Clients and projects — hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Period of the hours shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show hi&amp;dden</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours of:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clients and their projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name of the new client or project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client (for a project)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client of the new project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add &amp;client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add &amp;project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add (before any entry names it; kept on this computer)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a client or a project above.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate currency</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Set rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;lear rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Hide from completion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reason (each entry is amended with it)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reason for the rename</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Rename</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate per hour:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Completion:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rates are signed into the ledger (a project's rate beats its client's; entries keep the rate they were recorded with). Added and hidden names stay on this computer and are never exported.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sho&amp;w in completion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No entry names it yet: a local rename.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries name this project: each of its entries is amended (signed, with your reason) in one step, and the old name is hidden.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A client with entries is not renamed: each client has its own chain in the signed ledger, so a rename would move every entry to a new client and its proofs would show removals. Hide this name and use a new one instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>type a name first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>choose a project or a client first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>give an amount such as 95.00 and a currency</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>a rate must be more than zero</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>type the new name first</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Renamed. Entries amended: %n.</source>
            <translation>
                <numerusform>Renamed. Entries amended: %n.</numerusform>
                <numerusform>Renamed. Entries amended: %n.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ClientsModel</name>
        <message>
            <source>(no client)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>State</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} (client's)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>hidden</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no entries yet</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Controller</name>
        <message numerus="yes">
            <source>Anchored the ledger (%n lea(f|ves)) with {0}</source>
            <extracomment>After a change, anchor soon (like the CLI's background kick), but batch bursts. At least one timestamp authority is configured (else nothing can fail to anchor). Client names for completion (entries' and those added in the app, none hidden). tracking.Status after each refresh. The ledger grew (here or from the CLI): reload entries and totals. Once a second with the current time, for elapsed displays. AnchorState after each refresh or background run. A user-facing error message (a ServiceError's text). A short notice for the user ("Anchored log size 42 by FreeTSA"). MaintenanceOutcome after each periodic background run. AnchorOutcome after "Anchor now" succeeded. A write finished: (what, result), e.g. ("start", Entry). The app is quitting: long-running work (e.g. a file watcher) must stop now. Network and git work (anchoring, spool ingestion, extension jobs). Store reads, one at a time, off the UI thread. Store writes, one at a time and in the order asked. Held by every git scan the GUI runs (hook spool, "Scan now"): two scans of one repository at once would both record its new commits, and one would fail. Runs each write and background job on its worker. The desktop app installs the passphrase prompt here (gui/passphrase_dialog.py): a job that meets a locked key asks for it and runs again (services.unlock.run_unlocked).</extracomment>
            <translation>
                <numerusform>Anchored the ledger (%n leaf) with {0}</numerusform>
                <numerusform>Anchored the ledger (%n leaves) with {0}</numerusform>
            </translation>
        </message>
        <message>
            <source>The ledger was already anchored</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EntriesPanel</name>
        <message>
            <source>today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>in these days</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Period</source>
            <extracomment>Text typed in the search box is applied after this pause. The selected entry changed (None when nothing is selected). A row was double-clicked or Enter pressed on it. A reload's first page of entries is shown. A reload's totals and chart are shown too.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>First day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Period:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All clients</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search project, client, task, note, tags</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Group totals by</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals &amp;by</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n entr(y|ies)</source>
            <extracomment>"Acme: approved through log size N on DATE (H h)" (gui/approval_dialogs.py).</extracomment>
            <translation>
                <numerusform>%n entry</numerusform>
                <numerusform>%n entries</numerusform>
            </translation>
        </message>
        <message>
            <source>No entries match the filters.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No entries %1.

Start a timer above, or add an entry you forgot (Ctrl+N).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Hours per day&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Hours per week&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EntryDialog</name>
        <message>
            <source>Amend entry #{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The current version stays in the signed ledger, with your reason.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record time you worked without the timer (a manual entry).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amend</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comma separated</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Required: why this changes (kept in the ledger)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Task:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>T&amp;ags:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Note:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;When:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The timer is still running; stop it to change the end</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name the project.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The end must be after the start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change something to amend the entry.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give a reason to save this change.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EntryTableModel</name>
        <message>
            <source>Amended — Show history lists every version with its reason</source>
            <extracomment>The SQL sort key of each column (``store.gui_queries.SORT_KEYS``). Rows per page read from the store. ``fetch(query, offset, limit, deliver)`` reads a page (in the background) and calls ``deliver(rows)`` on the UI thread. The user asked for another order: (sort key, descending). "Approved"/"Contested"/None per entry (set by gui/approval_dialogs.py).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>still running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entry #{0}: {1} → {2}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>EvidencePanel</name>
        <message>
            <source>Evidence backs your hours: your commits in these repositories and the times files changed in these folders are signed into the ledger. Suggestions are worked out from it; nothing here is sent anywhere.</source>
            <extracomment>A watched folder was added or removed (the file watcher restarts).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Repository</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Authors</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Subjects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Git repositories</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add repository…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove repository</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scan now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Install hook</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A post-commit hook hands each new commit to hourproof the moment you make it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record new commits of every repository</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Watched folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add folder to watch…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove watch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No folder is watched.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File watching runs with 'hourproof watch run'.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>● Watching %n folder(s) while hourproof runs.</source>
            <translation>
                <numerusform>● Watching %n folder while hourproof runs.</numerusform>
                <numerusform>● Watching %n folders while hourproof runs.</numerusform>
            </translation>
        </message>
        <message>
            <source>File watching is stopped.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a git repository</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add repository</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added {0} for {1}. Scan now records its commits; Install hook records each new one as you make it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop recording commits of {0}?

Commits recorded so far stay in the signed ledger; its hook, if installed, is removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Removed {0}; its recorded commits stay in the ledger.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Installed the post-commit hook at {0}: each new commit is recorded within half a minute while hourproof runs.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a folder to watch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Watch folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Watching {0} for {1}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop watching {0}?

Activity recorded so far stays in the signed ledger.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stopped watching {0}.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>Export proof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A signed bundle of one client's hours: the entries, their ledger proofs, trusted timestamps and a printable statement. The client checks it with &lt;i&gt;hourproof verify&lt;/i&gt; or with ssh-keygen and openssl alone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>where to save the bundle ({0})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save as</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose where to save the bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Also save the entries as a CSV for</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV format</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>For a &amp;dispute: also write a PDF statement with the bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;name&gt;.pdf: per day the hours claimed and the evidence, when each entry was recorded, approvals and contests, and how to check it — with the .hproof attached, for a platform's dispute form</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>P&amp;eriod:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>First day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Save as:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the bundle discloses</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Discloses:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n entr(y|ies) of {0} ({1}), {2}, with their amendments and removals, ledger proofs and timestamps. Nothing about other clients. Signed by {3}.</source>
            <translation>
                <numerusform>%n entry of {0} ({1}), {2}, with their amendments and removals, ledger proofs and timestamps. Nothing about other clients. Signed by {3}.</numerusform>
                <numerusform>%n entries of {0} ({1}), {2}, with their amendments and removals, ledger proofs and timestamps. Nothing about other clients. Signed by {3}.</numerusform>
            </translation>
        </message>
        <message>
            <source>Last month</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This month</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>As shown in the window ({0})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Custom</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No entry has a client yet. A bundle is made for one client: set the client on your entries first (Entries → Amend).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the proof bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hour-proof bundles (*{0})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type a file name after the folder, e.g. acme-2026-10.hproof.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That is a folder; add a file name, e.g. acme-2026-10.hproof.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The folder {0} does not exist.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Replace bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} exists already. Replace it?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exporting {0}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exported {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Dispute PDF {0}&lt;/b&gt; (the bundle attached): {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>in {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not exported: {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <source>History of entry #{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>removed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>amended</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>as recorded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Leaf</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Versions of the entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Every version stays in the signed ledger; amendments and removals carry their reasons and are part of any proof you export.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdleFeature</name>
        <message>
            <source>Time away {0}–{1} taken out of the entry (reason: idle)</source>
            <extracomment>What the service recorded (an IdleOutcome), after an answer.</extracomment>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdlePrompt</name>
        <message>
            <source>Welcome back</source>
            <extracomment>The user's answer: "keep", "discard" or "stop".</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the computer was asleep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no keyboard or mouse input</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From {0} ({1}) while the timer for “{2}” was running. What should that time be?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Whatever you choose is kept in the signed ledger: discarding amends the entry with the reason “idle”; the original stays visible.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keep it: I was working</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Discard the time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Stop the timer at {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Count the time away as work (a call, a whiteboard)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cut the entry at {0} and carry on timing from {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End the entry at {0}; no timer afterwards</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You were away for {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>IdleSettings</name>
        <message>
            <source>Time away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask after this many minutes away</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>With a timer running, ask about time away longer than this</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only the operating system's idle time is read — never keystrokes, clicks or what is on the screen.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Ask after:</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>&lt;h3&gt;hourproof&lt;/h3&gt;&lt;p&gt;Tracks hours and proves them with signatures and trusted timestamps.&lt;/p&gt;&lt;p&gt;No screenshots, no camera, no microphone, no keystroke logging. Only checkpoint digests are sent, and only to the timestamp authorities you configure.&lt;/p&gt;</source>
            <extracomment>The file name ending of hour-proof bundles (and its MIME type in the .desktop file).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <extracomment>The user closed the window (the app quits when there is no tray). A history dialog was opened (carries it). The user asked to verify this bundle (menu, drop); main.py opens a verify window.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Start timer…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start a timer with project, task and tags</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;top timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop the running timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Add entry…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record a finished interval</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A&amp;mend…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change the selected entry; the old version is kept with your reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Remove…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove the selected entry; it stays in the ledger, marked removed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show &amp;history</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Every version of the selected entry, with reasons</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Anchor now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timestamp the ledger with your TSAs now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reload (also picks up changes made on the command line)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Verify proof…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check a .hproof bundle you received</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Se&amp;ttings…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>TSAs, idle, key, start at login</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Clients, projects and rates…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add, hide and rename clients and projects; hourly rates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Close window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;About hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Actions</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Ledger: %n lea(f|ves)</source>
            <translation>
                <numerusform>Ledger: %n leaf</numerusform>
                <numerusform>Ledger: %n leaves</numerusform>
            </translation>
        </message>
        <message>
            <source>{0} — hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchored {0} by {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last trusted timestamp {0}, over the first {1} leaves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No timestamp authority</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing is sent anywhere; add a TSA to anchor to trusted time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not anchored yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No trusted timestamp yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} queued</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>⚠ Nothing anchored to trusted time for over 24 h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>⚠ Anchoring failed — will retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last error: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File → Anchor now (Ctrl+Shift+A) tries again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Overlapping entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verify an hour proof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hour proofs (*.hproof *.pdf);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About hourproof</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PassphraseDialog</name>
        <message>
            <source>Unlock the signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;This needs your signing key, which is locked.&lt;/b&gt;&lt;br&gt;Type its passphrase to go on. Cancel leaves everything as it was: nothing is signed or recorded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Your signing key is protected by a passphrase.&lt;/b&gt;&lt;br&gt;hourproof signs every entry with it. Type the passphrase to start, or Cancel to open hourproof with the key locked (it is asked for when something needs signing).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keep it in the OS keyring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keep the passphrase in the OS keyring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Wrong passphrase. Try again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The passphrase kept in the OS keyring no longer opens the key (was it changed on the command line?). Type the current one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking the passphrase…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ProjectCombo</name>
        <message>
            <source>Project</source>
            <extracomment>What was typed in "Started" (shown again when the start is refused).</extracomment>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <source>Remove entry #{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It leaves your reports but stays in the signed ledger, marked removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Required, e.g. duplicate of #12</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entry:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give a reason to remove the entry.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings — hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start hourproof in the tray when I log in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start at login</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timestamp authorities (RFC 3161)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timestamp authorities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name, e.g. FreeTSA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New TSA name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New TSA URL</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only checkpoint digests are sent, and only to these servers.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time away (idle)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle threshold in minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask about time away after:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fingerprint:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New passphrase (empty: none)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Repeat it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Repeat the new passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set &amp;passphrase</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the two passphrases differ</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The key file is now protected by the new passphrase.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The key file now has no passphrase.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>give a name and an http(s) URL for the timestamp authority</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>choose a timestamp authority to remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>cannot write the autostart file: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle detection is not available in this build.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SourceDialog</name>
        <message>
            <source>optional</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Folder:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record commit subject lines</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>your commits: default is the repository's user.email</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Author emails:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Commits are recorded by id, time and size only; file contents never are.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only which files changed and when is recorded, never their contents.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StartDialog</name>
        <message>
            <source>Start timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Track a project from now, or from a moment ago.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From the project when empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comma separated, e.g. review, meeting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>now, 09:30, yesterday 17:00, -15m or an ISO 8601 time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Project:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Client:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Task:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>T&amp;ags:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Note:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Started:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name the project to track.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The start cannot be in the future.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SuggestionsPanel</name>
        <message>
            <source>Accept</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record the selected suggestion as an entry that cites its evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record every suggestion of the period that no entry overlaps yet, in one go</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all open suggestions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested sessions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Suggested sessions&lt;/b&gt; · {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No suggestions in this period.

Register a git repository or watch a folder on the Evidence tab; sessions worked out from your commits and file activity show up here.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n suggestion(s) · {0} h · {1} h not yet claimed by an entry. Accepting records an entry of source “suggested” that cites the evidence.</source>
            <translation>
                <numerusform>%n suggestion · {0} h · {1} h not yet claimed by an entry. Accepting records an entry of source “suggested” that cites the evidence.</numerusform>
                <numerusform>%n suggestions · {0} h · {1} h not yet claimed by an entry. Accepting records an entry of source “suggested” that cites the evidence.</numerusform>
            </translation>
        </message>
        <message>
            <source>Entries of {0} already cover {1} of this {2} session. Record it as an entry anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded {0} {1} as entry #{2}</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Record %n suggested session(s) ({0} h) as entries citing their evidence?</source>
            <translation>
                <numerusform>Record %n suggested session ({0} h) as entries citing their evidence?</numerusform>
                <numerusform>Record %n suggested sessions ({0} h) as entries citing their evidence?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Recorded %n suggested session(s) as entries</source>
            <translation>
                <numerusform>Recorded %n suggested session as entries</numerusform>
                <numerusform>Recorded %n suggested sessions as entries</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TimelinePanel</name>
        <message>
            <source>Reading…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h in {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} ({1} h)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries of {0} already cover {1} h of this {2} h session. Record it as an entry anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record {0} suggested sessions ({1} h) as entries citing their evidence?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Day</source>
            <extracomment>New data is shown (after each background read). Suggestions were recorded as entries: the list of entries.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show one day</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the week, Monday to Sunday</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Previous day or week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Go to today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Next day or week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zoom out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zoom in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the hours that hold anything</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record every suggested session shown that no entry overlaps yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all suggestions shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scroll the hours shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Bars: entries · dashed: suggested sessions, click one to accept it · dotted: suggestions entries already cover · beneath: file activity, commits (ticks), time away (hatched). Drag an entry's edge to change it; Ctrl+wheel zooms.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded {0} suggested session(s) as entries</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <source>Timeline</source>
            <extracomment>A suggestion id the user clicked (or pressed Enter on) to accept. (entry id, new start or None, new end or None) after an edge was dragged. An entry id activated with a double click or Enter (open it). The visible hours changed (zoom or scroll): (first hour, hours shown). The selected item changed: (kind, key), or ("", "") for none.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries, suggested sessions and evidence by day. Tab, Left and Right step through the bars, Up and Down change the day, Enter accepts a suggestion or opens an entry, plus and minus zoom.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested session: {0}, {1}, {2}, not recorded yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0}, since {1}, {2} so far, timer running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>manual entry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>from evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entry #{0}: {1}, {2} ({3} h). Drag an edge to change it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested session: {0}, {1} ({2} h). Click to record it as an entry citing its evidence.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Commit to {0} at {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Away (idle) {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File activity in {0}, {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TimerBar</name>
        <message>
            <source>No timer running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start a timer for this project (Enter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project to start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start with details…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop the timer (Ctrl+Shift+T)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop timer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Elapsed time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>since {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today  {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TotalsTableModel</name>
        <message>
            <source>Total</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No hourly rate set (hourproof rate --project NAME AMOUNT CURRENCY)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrayController</name>
        <message>
            <source>hourproof — no timer running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing anchored to trusted time for over 24 h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchoring failed; it will retry</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signing key locked</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Evidence paused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add past entry…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Resume evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pause evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open hourproof</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verify a proof…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchoring…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Anchor now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Quit</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>VerifyWindow</name>
        <message>
            <source>Verify %1 — hourproof</source>
            <extracomment>``submit(what, fn(app), on_done, on_error)``: how the window runs the verification. An approval or contest was signed (``signed``) or refused (``sign_error``).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verdict</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signer's key fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the fingerprint</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Fingerprint:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Result</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Step</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Detail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start (UTC)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lag</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amount</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Day (UTC)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checks</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Totals</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Approve…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approve these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign an approval of these hours with your own key, to email back</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;ontest…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contest these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign that you contest the bundle or some entries, with the reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✘ Cannot check this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✘ NOT verified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The signer's key is the one you pinned.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Compare this fingerprint with the one in your contract. It is remembered: the next bundle from this signer must extend the same log.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✔ ok</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✘ FAIL</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>warning</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client {0}, {1} to {2} (UTC, end exclusive) · signed by {3}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Total {0} h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(Verified sums)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not counted — outside the period</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LATE</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Disclosed so the bundle is complete; outside the period (or the project) of this bundle, so not in any total.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n entr(y|ies) outside the period: listed (greyed) for completeness, not counted in the totals.</source>
            <translation>
                <numerusform>%n entry outside the period: listed (greyed) for completeness, not counted in the totals.</numerusform>
                <numerusform>%n entries outside the period: listed (greyed) for completeness, not counted in the totals.</numerusform>
            </translation>
        </message>
        <message>
            <source>Checking the bundle again and signing…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>approvals</name>
        <message>
            <source>Approval files (*.json);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} to {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the signed file as</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approve these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign, with your own key, that you approve the hours in %1. The file written is small: email it back to %2. Any later rewrite of the approved hours then shows as an equivocation.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>optional, e.g. “approved for invoice 2026-10”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the approval</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Note:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Save as:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approve</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type the file to save the approval in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contest these hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sign, with your own key, that you contest %1 or some of its entries, and why. Email the file written back to the contractor.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>required, e.g. “the 7 October deploy was not ordered”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The &amp;whole bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only the entries &amp;ticked:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries to contest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save the contest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Contest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Give the reason for contesting.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tick the entries you contest, or choose the whole bundle.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Type the file to save the contest in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Approval signed&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Contest signed&lt;/b&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} with your key {1} and saved as &lt;code&gt;{2}&lt;/code&gt;.&lt;br&gt;Email this file back to {3}; they add it with File → Add client approval… (or &lt;i&gt;hourproof approvals add FILE&lt;/i&gt;).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; contested entries {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} signed an approval of log size {1} on {2} ({3}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} signed a contest of log size {1} on {2} ({3}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is the first approval from {0}. Its key is

    {1}

Compare it with the fingerprint the client reads from 'hourproof key show' (by phone or in person). Trust this key for {0} from now on and record the approval?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is the first approval from {0}. Its key is

    {1}

Compare it with the fingerprint the client reads from 'hourproof key show' (by phone or in person). Trust this key for {0} from now on and record the contest?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Signed with {0}'s pinned key {1}. Record it?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0}: approved through log size {1} on {2} ({3} h{4}, {5})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the bundle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0}: contested {1} on {2} — {3}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add a client's approval</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} is signed by {1}, but {2} approved before with {3}; refused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add client approval</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded {0}'s approval of log size {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recorded {0}'s contest of log size {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add client &amp;approval…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Record a client's signed approval or contest of a bundle you sent</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>controller</name>
        <message>
            <source>the database is busy (another hourproof is writing); try again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unexpected error: {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>dialogs</name>
        <message numerus="yes">
            <source>… and %n more</source>
            <translation>
                <numerusform>… and %n more</numerusform>
                <numerusform>… and %n more</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The new entry overlaps %n recorded entr(y|ies):</source>
            <translation>
                <numerusform>The new entry overlaps %n recorded entry:</numerusform>
                <numerusform>The new entry overlaps %n recorded entries:</numerusform>
            </translation>
        </message>
        <message>
            <source>Both would count in the totals. Save it anyway?</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>entries</name>
        <message>
            <source>Date</source>
            <extracomment>The ``Entry`` object of a row (any column). A value that sorts naturally (timestamps, seconds, lower-cased text).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Duration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Task</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tags</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Note</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Edited</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approval</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours:minutes; a running timer counts up</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>timer, manual, suggested (from evidence) or imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✎ marks an entry that was amended; Show history lists every version</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Approved: the client signed an approval of the log after this entry's last change; Contested: the client contested it</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>evidence</name>
        <message numerus="yes">
            <source>Scanned %n repositor(y|ies)</source>
            <translation>
                <numerusform>Scanned %n repository</numerusform>
                <numerusform>Scanned %n repositories</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n new commit(s)</source>
            <translation>
                <numerusform>%n new commit</numerusform>
                <numerusform>%n new commits</numerusform>
            </translation>
        </message>
        <message>
            <source>Evidence</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>export</name>
        <message numerus="yes">
            <source>%n entr(y|ies)</source>
            <translation>
                <numerusform>%n entry</numerusform>
                <numerusform>%n entries</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n ledger lea(f|ves) disclosed</source>
            <translation>
                <numerusform>%n ledger leaf disclosed</numerusform>
                <numerusform>%n ledger leaves disclosed</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n trusted timestamp(s)</source>
            <translation>
                <numerusform>%n trusted timestamp</numerusform>
                <numerusform>%n trusted timestamps</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n byte(s)</source>
            <translation>
                <numerusform>%n byte</numerusform>
                <numerusform>%n bytes</numerusform>
            </translation>
        </message>
        <message>
            <source>E&amp;xport proof…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save a signed, timestamped bundle of one client's hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export proof…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>feature</name>
        <message>
            <source>Time &amp;away…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Idle detection: which source works, and the threshold</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>fmt</name>
        <message>
            <source>running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>never</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>just now</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n min ago</source>
            <translation>
                <numerusform>%n min ago</numerusform>
                <numerusform>%n min ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n h ago</source>
            <translation>
                <numerusform>%n h ago</numerusform>
                <numerusform>%n h ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>%n day ago</numerusform>
                <numerusform>%n days ago</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>history</name>
        <message>
            <source>Timer started</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Timer stopped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amended</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Removed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reason: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ended {0}; note: {1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ended {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>tags: {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>idle</name>
        <message>
            <source>{0} min</source>
            <extracomment>The user came back after an absence longer than the threshold (an Away). A sample taken on the sampler's thread was applied (its Away, or None).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h {1} min</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>hourproof — starting…</source>
            <extracomment>Milliseconds a second launch waits for the running instance to answer. What ``DesktopApp.open`` and ``build`` import, preloaded on a thread (see gui/staging.py).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>hourproof cannot start: {0}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>panel</name>
        <message>
            <source>Timeline</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>periods</name>
        <message>
            <source>Today</source>
            <extracomment>(key, label) in the order the period selector lists them; show a label as ``QCoreApplication.translate("periods", label)``.</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This month</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last month</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This year</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last year</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Custom…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All</source>
            <extracomment>The periods offered here ("custom" needs dates; "all" is every entry).</extracomment>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>suggestions</name>
        <message>
            <source>Date</source>
            <extracomment>Column names (English keys; shown as QCoreApplication.translate("suggestions", name)).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>End</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Duration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Already claimed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Evidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Client</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>all</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Worked out from %n evidence record(s) in the ledger</source>
            <translation>
                <numerusform>Worked out from %n evidence record in the ledger</numerusform>
                <numerusform>Worked out from %n evidence records in the ledger</numerusform>
            </translation>
        </message>
        <message>
            <source>;
entries of this project already cover all of it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggestions</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>timeline</name>
        <message>
            <source>{0} h {1} min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} min</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>totals</name>
        <message>
            <source>Project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Entries</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Amount</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>unlocker</name>
        <message>
            <source>🔒 Signing key locked</source>
            <extracomment>True while the key is locked (status bar, tray). A dialog was opened (tests, and the tray to show the window).</extracomment>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browsing and verifying work; the passphrase is asked for when you sign</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Unlock…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock the signing key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlock signing key…</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
