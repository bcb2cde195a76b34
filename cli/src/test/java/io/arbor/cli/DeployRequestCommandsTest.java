package io.arbor.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code arbor deploy-request} against a fake control plane: requests, output, waiting through states, exit codes. */
class DeployRequestCommandsTest {
    private final FakeControlApi api;

    DeployRequestCommandsTest() throws IOException {
        api = new FakeControlApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static String operation(String state, int percent, long copied, String eta) {
        return """
                {"table_name":"users","operation_name":"alter","ddl_statement":"ALTER TABLE `users` ADD COLUMN `name` varchar(100)",
                 "state":"%s","progress_percentage":%d,"eta_seconds":%s,"rows_copied":%d,"table_rows":10000,
                 "can_drop_data":false}""".formatted(state, percent, eta, copied);
    }

    static String request(String deploymentState, String operation, String message) {
        return """
                {"id":"dr1","type":"DeployRequest","number":3,"branch":"dev","into_branch":"main","state":"open",
                 "deployment_state":"%s","deployable":true,"approved":false,"notes":"add name","auto_apply":true,
                 "html_url":null,"created_at":"2026-12-01T14:00:00.000Z","updated_at":"2026-12-01T14:00:00.000Z",
                 "closed_at":null,"deployed_at":null,
                 "deployment":{"id":"d1","type":"Deployment","state":"%s","deployable":true,"instant_ddl":false,
                  "instant_ddl_eligible":false,
                  "lint_errors":[{"lint_error":"NO_UNIQUE_KEY","severity":"warning","subject_type":"table","table_name":"logs",
                                  "column_name":null,"error_description":"logs has no unique key"}],
                  "conflicts":[],"message":"%s","deploy_operations":[%s],"revert_operations":[],
                  "queued_at":null,"started_at":null,"finished_at":null,"cutover_at":null,"revert_expires_at":null}}"""
                .formatted(deploymentState, deploymentState, message, operation);
    }

    static final String DIFF = """
            {"data":[{"name":"users","type":"table","operation":"alter","statement":"ALTER TABLE `users` ADD COLUMN `name` varchar(100)",
             "from":"CREATE TABLE `users` (\\n  `id` int\\n)","to":"CREATE TABLE `users` (\\n  `id` int,\\n  `name` varchar(100)\\n)"}]}""";

    @Test
    void createSendsBranchIntoNotesAndAutoApplyAndPrintsTheNumber() {
        api.on("POST", "app/deploy-requests", 201, request("ready", "", ""));
        FakeControlApi.Run run = api.run("deploy-request", "create", "app", "dev", "--into", "main", "--notes", "add name",
                "--disable-auto-apply");
        assertThat(run.exitCode()).isZero();
        assertThat(api.call("POST", "app/deploy-requests").body())
                .isEqualTo("{\"branch\":\"dev\",\"into_branch\":\"main\",\"notes\":\"add name\",\"auto_apply\":false}");
        assertThat(run.out()).isEqualTo("""
                number:           3
                branch:           dev
                into_branch:      main
                state:            open
                deployment_state: ready
                """);
        assertThat(run.err()).contains("arbor deploy-request deploy app 3");
    }

    @Test
    void createWithoutIntoLeavesItToTheServer() {
        api.on("POST", "app/deploy-requests", 201, request("ready", "", ""));
        api.run("deploy-request", "create", "app", "dev");
        assertThat(api.call("POST", "app/deploy-requests").body())
                .isEqualTo("{\"branch\":\"dev\",\"notes\":\"\",\"auto_apply\":true}");
    }

    @Test
    void listFiltersByStateAndPrintsATableOrJson() {
        api.on("GET", "app/deploy-requests?state=open", 200, "{\"data\":[" + request("ready", "", "") + "]}");
        FakeControlApi.Run run = api.run("deploy-request", "list", "app", "--state", "open");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                NUMBER  BRANCH  INTO BRANCH  STATE  DEPLOYMENT STATE  CREATED AT
                3       dev     main         open   ready             2026-12-01T14:00:00.000Z
                """);
        FakeControlApi.Run json = api.run("deploy-request", "list", "app", "--state", "open", "--format", "json");
        assertThat(json.out()).startsWith("[ {").contains("\"type\" : \"DeployRequest\"");
    }

    @Test
    void showPrintsDetailsDiffSummaryLintAndOperations() {
        api.on("GET", "app/deploy-requests/3", 200, request("in_progress", operation("in_progress", 45, 4500, "12"), ""));
        api.on("GET", "app/deploy-requests/3/diff", 200, DIFF);
        FakeControlApi.Run run = api.run("deploy-request", "show", "app", "3");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("deployment_state: in_progress")
                .contains("Schema changes\n  OBJECT  TYPE   OPERATION  STATEMENT\n"
                        + "  users   table  alter      ALTER TABLE `users` ADD COLUMN `name` varchar(100)\n")
                .contains("Lint\n  SEVERITY  LINT ERROR     TABLE NAME  COLUMN NAME  ERROR DESCRIPTION\n"
                        + "  warning   NO_UNIQUE_KEY  logs        -            logs has no unique key\n")
                .contains("Operations\n  TABLE  OPERATION  STATE        PROGRESS  ROWS          ETA  STATEMENT\n"
                        + "  users  alter      in_progress  45%       4,500/10,000  12s  ALTER TABLE");
    }

    @Test
    void diffRendersAsBranchDiff() {
        api.on("GET", "app/deploy-requests/3/diff", 200, DIFF);
        assertThat(api.run("deploy-request", "diff", "app", "3").out()).isEqualTo("""
                -- users --
                 CREATE TABLE `users` (
                -  `id` int
                +  `id` int,
                +  `name` varchar(100)
                 )

                """);
    }

    @Test
    void deployWaitFollowsTheStatesToCompletion() {
        api.on("POST", "app/deploy-requests/3/deploy", 200, request("queued", operation("pending", 0, 0, "null"), ""));
        api.on("GET", "app/deploy-requests/3", 200,
                request("queued", operation("queued", 0, 0, "null"), ""),
                request("in_progress", operation("in_progress", 50, 5000, "10"), ""),
                request("complete_pending_revert", operation("complete", 100, 10000, "null"), ""));
        FakeControlApi.Run run = api.run("deploy-request", "deploy", "app", "3", "--instant", "--wait");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(api.call("POST", "app/deploy-requests/3/deploy").body()).isEqualTo("{\"instant_ddl\":true}");
        assertThat(run.out()).contains("deployment_state: complete_pending_revert");
        assertThat(run.err()).contains("Deploy request #3: queued\n")
                .contains("Deploy request #3: in_progress\n  users                    alter  in_progress        50%  5,000/10,000 rows, ETA 10s\n")
                .contains("Deploy request #3: complete_pending_revert\n  users                    alter  complete          100%  10,000/10,000 rows\n");
        assertThat(api.calls().stream().filter(c -> c.method().equals("GET")).count()).isEqualTo(3);
    }

    @Test
    void deployWaitExitsWithOneWhenTheDeploymentFails() {
        api.on("POST", "app/deploy-requests/3/deploy", 200, request("queued", "", ""));
        api.on("GET", "app/deploy-requests/3", 200,
                request("in_progress", operation("in_progress", 10, 1000, "90"), ""),
                request("error", operation("failed", 10, 1000, "null"), "duplicate entry 7 for key name"));
        FakeControlApi.Run run = api.run("deploy-request", "deploy", "app", "3", "--wait");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("deploy request #3 of app ended error: duplicate entry 7 for key name");
        assertThat(api.call("POST", "app/deploy-requests/3/deploy").body()).isEqualTo("{\"instant_ddl\":false}");
    }

    @Test
    void deployWaitStopsAtPendingCutoverAndNamesApply() {
        api.on("POST", "app/deploy-requests/3/deploy", 200, request("queued", "", ""));
        api.on("GET", "app/deploy-requests/3", 200, request("pending_cutover", operation("ready_to_complete", 100, 10000, "0"), ""));
        FakeControlApi.Run run = api.run("deploy-request", "deploy", "app", "3", "--wait");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("waits for: arbor deploy-request apply app 3");
    }

    @Test
    void deployWaitGivesUpAfterTheTimeout() {
        api.on("POST", "app/deploy-requests/3/deploy", 200, request("queued", "", ""));
        api.on("GET", "app/deploy-requests/3", 200, request("queued", "", ""));
        FakeControlApi.Run run = api.run("deploy-request", "deploy", "app", "3", "--wait", "--timeout", "1s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("gave up waiting after 1s (--timeout): deploy request #3 of app is queued");
    }

    @Test
    void revertWaitsForCompleteRevertAndApplyForComplete() {
        api.on("POST", "app/deploy-requests/3/revert", 200, request("in_progress_revert", "", ""));
        api.on("POST", "app/deploy-requests/3/apply-deploy", 200, request("in_progress_cutover", "", ""));
        api.on("GET", "app/deploy-requests/3", 200, request("in_progress_revert", "", ""), request("complete_revert", "", ""));
        assertThat(api.run("deploy-request", "revert", "app", "3", "--wait").exitCode()).isZero();
        api.on("GET", "app/deploy-requests/3", 200, request("complete", "", ""));
        FakeControlApi.Run apply = api.run("deploy-request", "apply", "app", "3", "--wait", "--format", "json");
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out()).contains("\"deployment_state\" : \"complete\"");
        assertThat(apply.err()).isEmpty();
    }

    @Test
    void closeCancelSkipRevertAndQueueUseTheirEndpoints() {
        String r = request("cancelled", "", "");
        api.on("PATCH", "app/deploy-requests/3", 200, r).on("POST", "app/deploy-requests/3/cancel", 200, r)
                .on("POST", "app/deploy-requests/3/skip-revert", 200, r)
                .on("GET", "app/deploy-queue", 200, "{\"data\":[" + r + "]}");
        assertThat(api.run("deploy-request", "close", "app", "3").exitCode()).isZero();
        assertThat(api.call("PATCH", "app/deploy-requests/3").body()).isEqualTo("{\"state\":\"closed\"}");
        assertThat(api.run("deploy-request", "cancel", "app", "3").exitCode()).isZero();
        assertThat(api.run("deploy-request", "skip-revert", "app", "3").exitCode()).isZero();
        assertThat(api.run("deploy-request", "queue", "app").out()).contains("3       dev     main");
    }

    @Test
    void aRefusedDeployIsExitStatusOneWithTheMessage() {
        api.fail("POST", "app/deploy-requests/3/deploy", 422, "unprocessable", "deploy request 3 is not deployable");
        FakeControlApi.Run run = api.run("deploy-request", "deploy", "app", "3", "--wait");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("arbor: deploy request 3 is not deployable (unprocessable)\n");
        FakeControlApi.Run missing = api.run("deploy-request", "show", "app", "9");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("(not_found)");
    }
}
