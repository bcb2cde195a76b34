package io.arbor.protocol;

/** What the server needs to check a user's password: the double hashes of both auth plugins. */
public record UserCredentials(String user, byte[] nativeStage2, byte[] sha2Stage2) {
    public static UserCredentials of(String user, String password) {
        return new UserCredentials(user, Scrambles.nativeStage2(password), Scrambles.sha2Stage2(password));
    }
}
